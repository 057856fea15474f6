import EventLog
import Foundation
import ParleyTestSupport
import Moderation
import Projections
import Testing

/// The corpus lines of the project's own generator (`scripts/corpus.py`). It writes to a file
/// rather than a pipe, so no read waits on a pipe another test's child may hold open.
func corpusLines(conversations: Int, seed: Int) throws -> [String] {
    // #filePath is <package root>/Tests/ProjectorTests/ProjectorTests.swift.
    let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/corpus.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", generator.path, "--conversations", "\(conversations)", "--seed", "\(seed)"]
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: output) }
    guard FileManager.default.createFile(atPath: output.path, contents: nil), let file = FileHandle(forWritingAtPath: output.path) else {
        throw TestSetupError("cannot write \(output.path)")
    }
    process.standardOutput = file
    try process.run()
    process.waitUntilExit()
    try file.close()
    guard process.terminationStatus == 0 else { throw TestSetupError("the corpus generator failed: \(generator.path)") }
    let data = try Data(contentsOf: output)
    return data.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
}

/// Corpus events (scripts/corpus.py's actions mapped to catalogue events), in corpus order.
func corpusEvents(conversations: Int, seed: Int) throws -> [(stream: StreamName, event: EventData)] {
    try corpusLines(conversations: conversations, seed: seed).enumerated().map { index, line in
        let mapped = try CorpusEvent(line: Array(line.utf8))
        var event = mapped.eventData
        event.idempotencyKey = event.idempotencyKey ?? "test:\(seed):\(index)"
        return (mapped.stream, event)
    }
}

/// Appends events in order.
func append(_ events: [(stream: StreamName, event: EventData)], to log: EventLog) async throws {
    for request in AppendRequest.preservingOrder(events) { try await log.append(request) }
}

/// Waits until every stored projection's checkpoint has reached `position`.
func waitForCheckpoints(_ url: DatabaseURL, reaching position: Int64) async throws {
    let deadline = ContinuousClock.now + .seconds(120)
    while ContinuousClock.now < deadline {
        let rows = try await sql(url, "SELECT min(position)::text FROM parley_projection_checkpoints")
        let lowest = rows.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0
        if lowest >= position { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestSetupError("the projections did not reach position \(position) in time")
}

/// The rows the pure projections give for the whole log, per table, as sorted text rows in the
/// form ``storedRows(_:)`` reads them.
func expectedRows(_ log: EventLog) async throws -> [String: [String]] {
    var unread = UnreadCounts()
    var inbox = Inbox()
    var receipts = Receipts()
    var metrics = VendorResponseMetrics()
    var volume = MessageVolume()
    var timeline = DisputeTimeline()
    var review = ReviewQueue()
    var standing = UserStanding()
    var search = MessageSearch()
    var feed = UserFeed()
    var updates: [String] = []
    for try await batch in log.scan() {
        for recorded in batch {
            guard let event = try? ProjectedEvent(recorded) else { continue }
            _ = unread.apply(event)
            _ = inbox.apply(event)
            _ = receipts.apply(event)
            _ = metrics.apply(event)
            _ = volume.apply(event)
            _ = timeline.apply(event)
            _ = review.apply(event)
            _ = standing.apply(event)
            _ = search.apply(event)
            for case .update(let row) in feed.apply(event) {
                let update = row.update
                updates.append("\(update.userId) \(update.position) \(update.kind.rawValue) \(update.inbox.count) \(row.shown?.messageId ?? "-")")
            }
        }
    }
    func micros(_ time: Timestamp?) -> String { time.map { String($0.microseconds) } ?? "-" }
    func seconds(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
    func thread(_ row: ThreadRow) -> String {
        "\(row.conversationId) \(row.buyerId) \(row.vendorId) \(row.messageCount) \(row.buyerDelivered) \(row.buyerRead) \(row.buyerUnread) "
            + "\(row.vendorDelivered) \(row.vendorRead) \(row.vendorUnread)"
    }
    func message(_ row: ThreadMessageRow) -> String {
        "\(row.conversationId) \(row.seq) \(row.messageId) \(row.senderId) \(row.sentAt.microseconds) \(row.withheld?.rawValue ?? "-")"
    }
    var rows: [String: [String]] = [:]
    if !updates.isEmpty { rows["feed_updates"] = updates }
    for change in feed.snapshot {
        switch change {
        case .conversation(let row):
            let conversation = row.conversation
            rows["feed_conversations", default: []].append(
                "\(row.conversationId) \(conversation.buyerId) \(conversation.vendorId) \(conversation.version) \(conversation.redacted.sorted()) "
                    + "\(conversation.withheld.keys.sorted()) \(row.held.map(\.messageId))")
        case .listing(let listing): rows["feed_listings", default: []].append("\(listing.listingId) \(listing.vendorId) \(listing.title)")
        case .order(let order): rows["feed_orders", default: []].append("\(order.orderId) \(order.buyerId) \(order.vendorId) \(order.state.rawValue)")
        case .inbox, .update, .floor: break
        }
    }
    for change in unread.snapshot {
        switch change {
        case .conversation(let row): rows["unread", default: []].append("\(row.userId) \(row.conversationId) \(row.count)")
        case .total(let row): rows["totals", default: []].append("\(row.userId) \(row.count)")
        case .thread(let row): rows["unread_threads", default: []].append(thread(row))
        case .threadMessage(let row): rows["unread_thread_messages", default: []].append(message(row))
        }
    }
    for change in inbox.snapshot {
        switch change {
        case .upsert(let row):
            rows["inbox", default: []].append(
                "\(row.ownerId) \(row.conversationId) \(row.unreadCount) \(row.awaitingReply) \(row.lastMessageId ?? "-") \(row.lastActivityAt.microseconds)")
        case .thread(let row): rows["inbox_threads", default: []].append(thread(row))
        case .threadMessage(let row): rows["inbox_thread_messages", default: []].append(message(row))
        case .profile(let row): rows["inbox_profiles", default: []].append("\(row.userId) \(row.displayName) \(row.role.rawValue)")
        case .orderState(let row): rows["inbox_orders", default: []].append("\(row.orderId) \(row.state.rawValue)")
        case .block(let row): rows["inbox_blocks", default: []].append("\(row.blockerId) \(row.blockedId) \(row.active)")
        case .silenced(let row): rows["inbox_silenced", default: []].append("\(row.userId) \(row.channels.map(\.rawValue).sorted())")
        case .held(let row):
            rows["inbox_held", default: []].append(
                "\(row.conversationId) \(row.messageId) \(row.senderId) \(row.sentAt.microseconds) \(row.automated) \(row.open) \(row.preview)")
        }
    }
    for change in receipts.snapshot {
        switch change {
        case .upsert(let row):
            rows["receipts", default: []].append(
                "\(row.messageId) \(row.recipientId) \(row.sentAt.microseconds) \(micros(row.deliveredAt)) \(micros(row.readAt))")
        case .thread(let row): rows["receipts_threads", default: []].append(thread(row))
        case .threadMessage(let row): rows["receipts_thread_messages", default: []].append(message(row))
        }
    }
    for change in metrics.snapshot {
        switch change {
        case .conversation(let row):
            rows["responses", default: []].append(
                "\(row.conversationId) \(row.buyerId) \(row.vendorId) \(micros(row.askedAt)) \(micros(row.answeredAt))")
        case .vendorDay(let row):
            rows["vendor_days", default: []].append(
                "\(row.vendorId) \(row.day) \(row.conversations) \(row.answered) \(row.answeredWithin1h) \(row.answeredWithin24h) "
                    + "\(seconds(row.medianResponseSeconds)) \(seconds(row.meanResponseSeconds))")
        case .message(let row):
            rows["response_messages", default: []].append(
                "\(row.conversationId) \(row.messageId) \(row.arrival) \(row.fromBuyer) \(row.sentAt.microseconds) \(row.held)")
        case .spam(let conversation, let message): rows["response_spam", default: []].append("\(conversation) \(message)")
        }
    }
    for change in volume.snapshot {
        switch change {
        case .upsert(let row):
            rows["volume", default: []].append(
                "\(row.day) \(row.subjectKind.rawValue) \(row.conversationsStarted) \(row.messages) \(row.automatedMessages)")
        case .conversation(let row): rows["volume_conversations", default: []].append("\(row.conversationId) \(row.subjectKind.rawValue)")
        }
    }
    for change in timeline.snapshot {
        switch change {
        case .insert(let entry):
            let (kind, id) = switch entry.timeline {
            case .conversation(let id): ("conversation", id)
            case .order(let id): ("order", id)
            }
            rows["timeline", default: []].append("\(kind) \(id) \(entry.position) \(entry.event.typeName) \(entry.actor ?? "-")")
        case .conversation(let row):
            rows["timeline_conversations", default: []].append("\(row.conversationId) \(row.buyerId) \(row.vendorId) \(row.orderId ?? "-")")
        }
    }
    for case .upsert(let row) in review.snapshot {
        rows["review", default: []].append(
            "\(row.conversationId) \(row.messageId) \(row.status.rawValue) \(row.reporters) \(row.reasons) \(row.lastAt.microseconds) "
                + "[\(row.reporterIds.joined(separator: ","))]")
    }
    for case .upsert(let row) in search.snapshot {
        rows["search", default: []].append(
            "\(row.conversationId) \(row.messageId) \(row.senderId) \(row.sentAt.microseconds) \(row.redacted) "
                + "\(row.fingerprint.map(String.init) ?? "-") \(row.body)")
    }
    for case .upsert(let row) in standing.snapshot {
        rows["standing", default: []].append(
            "\(row.userId) \(row.standing.rawValue) \(row.attempts) \(row.attemptsTotal) \(row.updatedAt.microseconds)")
    }
    return rows.mapValues { $0.sorted() }
}

/// The rows the tables hold, per table, in the form of ``expectedRows(_:)``.
func storedRows(_ url: DatabaseURL) async throws -> [String: [String]] {
    func micros(_ column: String) -> String { "coalesce((extract(epoch FROM \(column)) * 1000000)::int8::text, '-')" }
    func seconds(_ column: String) -> String { "coalesce(to_char(\(column), 'FM999999990.000'), '-')" }
    func threads(_ table: String) -> String {
        """
        SELECT conversation_id || ' ' || buyer_id || ' ' || vendor_id || ' ' || message_count || ' ' || buyer_delivered || ' ' ||
               buyer_read || ' ' || buyer_unread || ' ' || vendor_delivered || ' ' || vendor_read || ' ' || vendor_unread FROM \(table)
        """
    }
    func messages(_ table: String) -> String {
        """
        SELECT conversation_id || ' ' || seq || ' ' || message_id || ' ' || sender_id || ' ' || \(micros("sent_at")) || ' ' ||
               coalesce(withheld, '-') FROM \(table)
        """
    }
    func texts(_ column: String) -> String {
        "'[' || array_to_string(ARRAY(SELECT '\"' || c || '\"' FROM unnest(\(column)) c ORDER BY c), ', ') || ']'"
    }
    let queries = [
        "feed_updates": """
            SELECT user_id || ' ' || position || ' ' || kind || ' ' || coalesce(json_array_length(rows), 0) || ' ' ||
                   coalesce(shown->>'messageId', '-') FROM parley_feed_updates
            """,
        "feed_conversations": """
            SELECT conversation_id || ' ' || buyer_id || ' ' || vendor_id || ' ' || version || ' ' || \(texts("redacted")) || ' ' ||
                   \(texts("withheld_ids")) || ' [' ||
                   array_to_string(ARRAY(SELECT '"' || (m->>'messageId') || '"' FROM json_array_elements(held) m ORDER BY m->>'messageId'), ', ')
                   || ']'
            FROM parley_feed_conversations
            """,
        "feed_listings": "SELECT listing_id || ' ' || vendor_id || ' ' || (data->>'title') FROM parley_feed_listings",
        "feed_orders": "SELECT order_id || ' ' || buyer_id || ' ' || vendor_id || ' ' || state FROM parley_feed_orders",
        "inbox_threads": threads("parley_inbox_threads"),
        "inbox_thread_messages": messages("parley_inbox_thread_messages"),
        "inbox_profiles": "SELECT user_id || ' ' || display_name || ' ' || role FROM parley_inbox_profiles",
        "inbox_orders": "SELECT order_id || ' ' || state FROM parley_inbox_orders",
        "inbox_blocks": "SELECT blocker_id || ' ' || blocked_id || ' ' || active FROM parley_inbox_blocks",
        "inbox_silenced": """
            SELECT user_id || ' [' || array_to_string(ARRAY(SELECT '"' || c || '"' FROM unnest(channels) c ORDER BY c), ', ') || ']'
            FROM parley_inbox_silenced
            """,
        "inbox_held": """
            SELECT conversation_id || ' ' || message_id || ' ' || sender_id || ' ' || \(micros("sent_at")) || ' ' || automated || ' ' ||
                   open || ' ' || preview FROM parley_inbox_held
            """,
        "unread_threads": threads("parley_unread_threads"),
        "unread_thread_messages": messages("parley_unread_thread_messages"),
        "receipts_threads": threads("parley_receipts_threads"),
        "receipts_thread_messages": messages("parley_receipts_thread_messages"),
        "unread": "SELECT user_id || ' ' || conversation_id || ' ' || unread FROM parley_unread_counts",
        "totals": "SELECT user_id || ' ' || unread FROM parley_unread_totals",
        "inbox": """
            SELECT owner_id || ' ' || conversation_id || ' ' || unread_count || ' ' || awaiting_reply || ' ' ||
                   coalesce(last_message_id, '-') || ' ' || \(micros("last_activity_at")) FROM parley_inbox
            """,
        "receipts": """
            SELECT message_id || ' ' || recipient_id || ' ' || \(micros("sent_at")) || ' ' || \(micros("delivered_at")) || ' ' ||
                   \(micros("read_at")) FROM parley_receipts
            """,
        "responses": """
            SELECT conversation_id || ' ' || buyer_id || ' ' || vendor_id || ' ' || \(micros("asked_at")) || ' ' || \(micros("answered_at"))
            FROM parley_response_conversations
            """,
        "response_messages": """
            SELECT conversation_id || ' ' || message_id || ' ' || arrival || ' ' || from_buyer || ' ' || \(micros("sent_at")) || ' ' || held
            FROM parley_response_messages
            """,
        "response_spam": "SELECT conversation_id || ' ' || message_id FROM parley_response_spam",
        "vendor_days": """
            SELECT vendor_id || ' ' || day || ' ' || conversations || ' ' || answered || ' ' || answered_within_1h || ' ' ||
                   answered_within_24h || ' ' || \(seconds("median_response_seconds")) || ' ' || \(seconds("mean_response_seconds"))
            FROM parley_vendor_response_daily
            """,
        "volume": """
            SELECT day || ' ' || subject_kind || ' ' || conversations_started || ' ' || messages || ' ' || automated_messages
            FROM parley_message_volume_daily
            """,
        "volume_conversations": "SELECT conversation_id || ' ' || subject_kind FROM parley_message_volume_conversations",
        "review": """
            SELECT conversation_id || ' ' || message_id || ' ' || status || ' ' || reporters || ' ' || reasons || ' ' || \(micros("last_at"))
                   || ' [' || array_to_string(reporter_ids, ',') || ']'
            FROM parley_review_queue
            """,
        "search": """
            SELECT conversation_id || ' ' || message_id || ' ' || sender_id || ' ' || \(micros("sent_at")) || ' ' || redacted || ' ' ||
                   coalesce(fingerprint::text, '-') || ' ' || body
            FROM parley_message_search
            """,
        "standing": """
            SELECT user_id || ' ' || standing || ' ' || attempts || ' ' || attempts_total || ' ' || \(micros("updated_at"))
            FROM parley_user_standing
            """,
        "timeline": """
            SELECT timeline_kind || ' ' || timeline_id || ' ' || position || ' ' || event_type || ' ' || coalesce(actor, '-')
            FROM parley_dispute_timeline
            """,
        "timeline_conversations": """
            SELECT conversation_id || ' ' || buyer_id || ' ' || vendor_id || ' ' || coalesce(order_id, '-')
            FROM parley_dispute_timeline_conversations
            """,
    ]
    var rows: [String: [String]] = [:]
    for (name, query) in queries {
        let values = try await sql(url, query).compactMap { $0 }
        if !values.isEmpty { rows[name] = values.sorted() }
    }
    return rows
}

/// Expects the stored tables to equal the pure projections over the log, table by table.
func expectTablesMatchLog(_ log: EventLog, _ url: DatabaseURL) async throws {
    var expected = try await expectedRows(log)
    // A rebuild stores no updates for the events it replayed in bulk: the floor says which.
    let floor = try await sql(url, "SELECT position::text FROM parley_feed_floor").first.flatMap { $0 }.flatMap { Int64($0) } ?? 0
    expected["feed_updates"] = expected["feed_updates"]?.filter { line in
        line.split(separator: " ").dropFirst().first.flatMap { Int64($0) }.map { $0 > floor } ?? true
    }
    if expected["feed_updates"]?.isEmpty == true { expected["feed_updates"] = nil }
    let stored = try await storedRows(url)
    #expect(expected["inbox"]?.isEmpty == false)
    #expect(Set(stored.keys) == Set(expected.keys))
    for (table, rows) in expected {
        #expect(stored[table] == rows, "table \(table)")
    }
}

@Suite("Projectors against PostgreSQL")
struct ProjectorTests {
    @Test("stored rows equal the pure projections over the same log, for events before and after the projector started")
    func rowsMatchPureProjection() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let events = try corpusEvents(conversations: 120, seed: 3)
            let half = events.count / 2
            try await append(Array(events[..<half]), to: log)
            var tuning = ProjectorConfiguration()
            tuning.pageSize = 37
            let configuration = tuning
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await StoredProjections.run(StoredProjections.names, log: log, configuration: configuration, logger: testLogger) }
                try await append(Array(events[half...]), to: log)
                try await waitForCheckpoints(url, reaching: try await log.head().position)
                group.cancelAll()
            }
            try await expectTablesMatchLog(log, url)
        }
    }

    @Test("two projectors at once: one is active, the other stands by, and the rows are right")
    func standby() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let events = try corpusEvents(conversations: 60, seed: 5)
            var tuning = ProjectorConfiguration()
            tuning.pageSize = 25
            tuning.standbyInterval = .milliseconds(100)
            let configuration = tuning
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await StoredProjections.run(StoredProjections.names, log: log, configuration: configuration, logger: testLogger) }
                }
                try await append(events, to: log)
                try await waitForCheckpoints(url, reaching: try await log.head().position)
                // Projector locks in this database (the append writer's lock, taken briefly, is not one).
                let holders = try await sql(url, """
                    SELECT count(*)::text FROM pg_locks
                    WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND NOT (classid = 0 AND objid = 1885434476)
                    """)
                #expect(holders == ["\(StoredProjections.names.count)"], "one active projector per projection")
                group.cancelAll()
            }
            try await expectTablesMatchLog(log, url)
        }
    }

    /// The lowest and highest checkpoint of the stored projections.
    static func checkpoints(_ url: DatabaseURL) async throws -> (min: Int64, max: Int64) {
        let row = try await sql(url, "SELECT min(position) || ' ' || max(position) FROM parley_projection_checkpoints").first ?? nil
        let values = (row ?? "").split(separator: " ").compactMap { Int64($0) }
        guard values.count == 2 else { throw TestSetupError("no checkpoints: \(String(describing: row))") }
        return (values[0], values[1])
    }

    @Test("kill -9 of a projector process mid-batch, restarted: no event applied twice or missed")
    func crash() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let events = try corpusEvents(conversations: 200, seed: 11)
            let rounds = 4
            let slice = (events.count + rounds - 1) / rounds
            for round in 0..<rounds {
                let projector = try ChildProcess("parley-replay", ["project", "--database-url", url.urlString, "--page-size", "7"])
                defer { if projector.process.isRunning { projector.kill() } }
                let part = Array(events[(round * slice)..<min(events.count, (round + 1) * slice)])
                let before = try await Self.checkpoints(url).max
                try await append(part, to: log)
                let head = try await log.head().position
                // Kill it once it is active and part-way through this round's events: a projection
                // committed past where the round began, and some projection has not reached the head.
                let deadline = ContinuousClock.now + .seconds(60)
                var progress = try await Self.checkpoints(url)
                while progress.max <= before, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...10)))
                    progress = try await Self.checkpoints(url)
                }
                projector.kill()
                _ = await projector.wait()
                #expect(progress.max > before, "round \(round): the projector was active")
                #expect(progress.min < head, "round \(round): killed with events left to project")
            }
            let finisher = try ChildProcess("parley-replay", ["project", "--database-url", url.urlString])
            defer { finisher.kill() }
            try await waitForCheckpoints(url, reaching: try await log.head().position)
            try await expectTablesMatchLog(log, url)
        }
    }
}

@Suite("Rebuilding projections while live")
struct RebuildTests {
    @Test("a rebuild while the projector runs and appends continue ends identical to an offline rebuild of the same log")
    func rebuildWhileLive() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let events = try corpusEvents(conversations: 200, seed: 13)
            let third = events.count / 3
            try await append(Array(events[..<third]), to: log)
            let reports = try await Self.whileLive(log, appending: Array(events[third...])) {
                var reports: [RebuildReport] = []
                for name in StoredProjections.names {
                    reports.append(try await StoredProjections.rebuild(name, log: log, logger: testLogger) { _, _ in })
                }
                return reports
            } afterwards: {
                try await waitForCheckpoints(url, reaching: try await log.head().position)
            }
            #expect(reports.map(\.projection) == StoredProjections.names)
            #expect(reports.allSatisfy { $0.events >= Int64(third) })
            #expect(try await sql(url, "SELECT min(generation)::text FROM parley_projection_checkpoints") == ["2"])
            #expect(try await sql(url, "SELECT count(*)::text FROM pg_tables WHERE tablename LIKE '%\\_shadow' OR tablename LIKE '%\\_old'") == ["0"])
            try await expectTablesMatchLog(log, url)
            // The same log rebuilt offline (nothing else running, no appends) gives the same rows.
            let live = try await storedRows(url)
            let offline = try ChildProcess("parley-replay", ["rebuild", "--database-url", url.urlString])
            #expect(await offline.wait() == 0, "\(offline.output)")
            #expect(try await sql(url, "SELECT min(generation)::text FROM parley_projection_checkpoints") == ["3"], "the offline rebuild ran")
            // The same rows, but no stored updates: an offline rebuild replays every event in bulk,
            // and its floor says so.
            var rebuilt = live
            rebuilt["feed_updates"] = nil
            #expect(try await storedRows(url) == rebuilt)
            #expect(try await sql(url, "SELECT position::text FROM parley_feed_floor") == ["\(try await log.head().position)"])
        }
    }
}

extension RebuildTests {
    /// Runs every stored projector (pages of 40, standing by 100 ms) while `trickle` is appended
    /// in small steps, and `rebuild` meanwhile; once the appends are in, runs `afterwards` before
    /// the projectors stop. Returns what `rebuild` returned.
    static func whileLive<T: Sendable>(
        _ log: EventLog, appending trickle: [(stream: StreamName, event: EventData)], rebuild: () async throws -> T,
        afterwards: () async throws -> Void
    ) async throws -> T {
        var tuning = ProjectorConfiguration()
        tuning.pageSize = 40
        tuning.standbyInterval = .milliseconds(100)
        let configuration = tuning
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await StoredProjections.run(StoredProjections.names, log: log, configuration: configuration, logger: testLogger) }
            group.addTask {
                // Appends keep arriving in small steps during the rebuild.
                for request in AppendRequest.preservingOrder(trickle, maxEvents: 25) {
                    try await log.append(request)
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
            let result = try await rebuild()
            try await group.next()
            try await afterwards()
            group.cancelAll()
            return result
        }
    }

    /// Each projection's generation now, as text rows in name order.
    static let generations = "SELECT projection || ' ' || generation FROM parley_projection_checkpoints ORDER BY projection"

    /// Each projection's generation before the rebuild plus `step`, in the form of ``generations``.
    static func generations(plus step: Int) -> String {
        "SELECT projection || ' ' || (generation + \(step)) FROM generations_before ORDER BY projection"
    }

    @Test("one scan rebuilds every projection while the projectors run and appends continue: the rows equal a pure replay and each projection rebuilt on its own, and the projectors carry on after the swaps")
    func rebuildAllFromOneScan() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let events = try corpusEvents(conversations: 200, seed: 17)
            let third = events.count / 3
            try await append(Array(events[..<third]), to: log)
            // The migrations start some projections at later generations than others.
            _ = try await sql(url, "CREATE TABLE generations_before AS SELECT projection, generation FROM parley_projection_checkpoints")
            let reports = try await Self.whileLive(log, appending: Array(events[third..<(2 * third)])) {
                try await StoredProjections.rebuild(log: log, logger: testLogger) { _, _ in }
            } afterwards: {
                // After the swaps, the projectors (which saw the new generation and started over) follow new events.
                try await append(Array(events[(2 * third)...]), to: log)
                try await waitForCheckpoints(url, reaching: try await log.head().position)
            }
            #expect(reports.map(\.projection) == StoredProjections.names)
            #expect(reports.allSatisfy { $0.events >= Int64(third) })
            #expect(reports.first { $0.projection == Inbox.name }.map { $0.rows > 0 } == true)
            let (generations, expected) = (try await sql(url, Self.generations), try await sql(url, Self.generations(plus: 1)))
            #expect(generations.count == StoredProjections.names.count)
            #expect(generations == expected, "each swapped in once")
            #expect(try await sql(url, "SELECT count(*)::text FROM pg_tables WHERE tablename LIKE '%\\_shadow' OR tablename LIKE '%\\_old'") == ["0"])
            try await expectTablesMatchLog(log, url)
            // Each projection rebuilt on its own, from a scan of its own, gives the same rows, but
            // no stored updates: the projectors are stopped, so the rebuilt feed's floor is the head.
            var together = try await storedRows(url)
            together["feed_updates"] = nil
            for name in StoredProjections.names {
                _ = try await StoredProjections.rebuild(name, log: log, logger: testLogger) { _, _ in }
            }
            #expect(try await storedRows(url) == together)
            #expect(try await sql(url, "SELECT position::text FROM parley_feed_floor") == ["\(try await log.head().position)"])
        }
    }
}

@Suite("Projectors that resume from their rows")
struct ResumingProjectorTests {
    /// A contact attempt by `user` (a flagging decision) or a staff standing change, as log events.
    static func events(_ made: [(user: String, standing: Standing?)], from start: Int) throws -> [(stream: StreamName, event: EventData)] {
        try made.enumerated().map { offset, made in
            let at = Timestamp(microseconds: 1_780_000_000_000_000 + Int64(start + offset) * 1_000_000)
            let event: DomainEvent =
                if let standing = made.standing {
                    .standingChanged(StandingChanged(userId: made.user, standing: standing, source: .staff, staffId: "s-1", statementOfReasons: "r", occurredAt: at))
                } else {
                    .messageModerated(MessageModerated(
                        conversationId: "c-\(made.user)", messageId: "m-\(start + offset)", clientMessageId: "k-\(start + offset)", senderId: made.user,
                        action: .bounce, matches: [], confidence: 0.9, orderExists: false, statementOfReasons: "r", occurredAt: at))
                }
            return (try event.stream(), EventData(type: event.typeName, schemaVersion: event.schemaVersion, payload: event.encode()))
        }
    }

    /// Runs the projectors of `names` until they reach the log's head, then stops them.
    static func project(_ log: EventLog, _ url: DatabaseURL, _ names: [String] = [UserStanding.name]) async throws {
        var tuning = ProjectorConfiguration()
        tuning.pageSize = 3
        let configuration = tuning
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await StoredProjections.run(names, log: log, configuration: configuration, logger: testLogger) }
            let head = try await log.head().position
            // A bound, not a speed check: pages of 3 events are hundreds of transactions, which a
            // loaded machine (six tests at once beside other builds) took over a minute for.
            let deadline = ContinuousClock.now + .seconds(180)
            let checkpoints = "SELECT min(position)::text FROM parley_projection_checkpoints WHERE projection = ANY('{\(names.joined(separator: ","))}')"
            while try await sql(url, checkpoints) != ["\(head)"] {
                guard ContinuousClock.now < deadline else { throw TestSetupError("\(names) did not reach \(head)") }
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
    }

    static func row(_ url: DatabaseURL, _ user: String) async throws -> String? {
        try await sql(url, "SELECT standing || ' ' || attempts || ' ' || attempts_total FROM parley_user_standing WHERE user_id = '\(user)'").first ?? nil
    }

    @Test("after a restart the projector reads nothing before its checkpoint: it applies new events to the stored rows")
    func resumesFromRows() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            try await append(try Self.events([("u1", nil), ("u2", nil), ("u1", nil), ("u1", .held), ("u2", nil)], from: 0), to: log)
            try await Self.project(log, url)
            #expect(try await Self.row(url, "u1") == "held 2 2")
            #expect(try await Self.row(url, "u2") == "good 2 2")
            // The rows are the state: a projector that replayed the log would undo this edit.
            _ = try await sql(url, "UPDATE parley_user_standing SET attempts_total = attempts_total + 100 WHERE user_id = 'u1'")
            try await append(try Self.events([("u1", nil), ("u3", nil), ("u1", .good), ("u1", nil)], from: 5), to: log)
            try await Self.project(log, url)
            #expect(try await Self.row(url, "u1") == "good 1 104", "resumed from the stored row, not from a replay")
            #expect(try await Self.row(url, "u2") == "good 2 2", "a row no new event touches is left alone")
            #expect(try await Self.row(url, "u3") == "good 1 1")
        }
    }

    @Test("after a restart the timelines place an order's change and a block by the stored conversation rows, not by a replay")
    func timelineResumesFromRows() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            func stored(_ event: DomainEvent) throws -> (stream: StreamName, event: EventData) {
                (try event.stream(), EventData(type: event.typeName, schemaVersion: event.schemaVersion, payload: event.encode()))
            }
            let at = Timestamp(microseconds: 1_780_000_000_000_000)
            try await append([try stored(.conversationStarted(ConversationStarted(
                conversationId: "c-1", buyerId: "b-1", vendorId: "v-1", startedBy: "b-1", subject: .order(id: "o-1"), occurredAt: at)))], to: log)
            try await Self.project(log, url, [DisputeTimeline.name])
            #expect(try await sql(url, "SELECT conversation_id || ' ' || buyer_id || ' ' || vendor_id || ' ' || order_id FROM parley_dispute_timeline_conversations")
                == ["c-1 b-1 v-1 o-1"])
            // The rows are the state: a projector that replayed the log would still place o-1's changes on c-1.
            _ = try await sql(url, "UPDATE parley_dispute_timeline_conversations SET order_id = 'o-2'")
            try await append([
                try stored(.orderStateChanged(OrderStateChanged(orderId: "o-1", buyerId: "b-1", vendorId: "v-1", state: .placed, occurredAt: at))),
                try stored(.orderStateChanged(OrderStateChanged(orderId: "o-2", buyerId: "b-1", vendorId: "v-1", state: .placed, occurredAt: at))),
                try stored(.userBlocked(UserBlocked(blockerId: "v-1", blockedId: "b-1", occurredAt: at))),
            ], to: log)
            try await Self.project(log, url, [DisputeTimeline.name])
            let entries = "SELECT timeline_kind || ' ' || timeline_id || ' ' || position || ' ' || event_type FROM parley_dispute_timeline ORDER BY 1"
            #expect(try await sql(url, entries).compactMap { $0 }.sorted() == [
                "conversation c-1 1 ConversationStarted", "conversation c-1 3 OrderStateChanged", "conversation c-1 4 UserBlocked",
                "order o-1 1 ConversationStarted", "order o-1 2 OrderStateChanged",
                "order o-2 3 OrderStateChanged", "order o-2 4 UserBlocked",
            ])
        }
    }

    @Test("after a restart unread counts and receipts resume from their stored threads, not from a replay")
    func threadsResumeFromRows() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            func stored(_ event: DomainEvent) throws -> (stream: StreamName, event: EventData) {
                (try event.stream(), EventData(type: event.typeName, schemaVersion: event.schemaVersion, payload: event.encode()))
            }
            let at = Timestamp(microseconds: 1_780_000_000_000_000)
            func message(_ id: String, from sender: String) throws -> (stream: StreamName, event: EventData) {
                try stored(.messageSent(MessageSent(
                    conversationId: "c-1", messageId: id, clientMessageId: id, senderId: sender, text: id, automated: false, occurredAt: at)))
            }
            let names = [UnreadCounts.name, Receipts.name]
            try await append([
                try stored(.conversationStarted(ConversationStarted(
                    conversationId: "c-1", buyerId: "b-1", vendorId: "v-1", startedBy: "b-1", subject: .general, occurredAt: at))),
                try message("m-1", from: "b-1"), try message("m-2", from: "b-1"),
            ], to: log)
            try await Self.project(log, url, names)
            let counts = "SELECT user_id || ' ' || unread FROM parley_unread_counts ORDER BY 1"
            #expect(try await sql(url, counts) == ["b-1 0", "v-1 2"])
            // The threads are the state: a projector that replayed the log would not see these edits.
            _ = try await sql(url, "UPDATE parley_unread_threads SET vendor_unread = vendor_unread + 100")
            _ = try await sql(url, "UPDATE parley_receipts_thread_messages SET message_id = 'm-x' WHERE seq = 0")
            try await append([
                try message("m-3", from: "b-1"),
                try stored(.messageRead(MessageRead(conversationId: "c-1", readerId: "v-1", upToMessageId: "m-2", occurredAt: at))),
            ], to: log)
            try await Self.project(log, url, names)
            // m-3 adds one and the read takes the two before it off the stored 102.
            #expect(try await sql(url, counts) == ["b-1 0", "v-1 101"], "resumed from the stored thread, not from a replay")
            // The receipts' thread no longer names m-1, so the read stamps only m-2 of the two it covers.
            let read = "SELECT message_id || ' ' || (read_at IS NOT NULL) FROM parley_receipts ORDER BY 1"
            #expect(try await sql(url, read) == ["m-1 false", "m-2 true", "m-3 false"])
        }
    }

    @Test("kill -9 mid-batch and restarts at random points: the resumed rows (standing, review queue) equal a pure replay")
    func crashAndResume() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let users = (0..<12).map { "u\($0)" }
            var made: [(user: String, standing: Standing?)] = []
            for index in 0..<480 {
                made.append((users[(index + index / 12) % users.count], index % 9 == 4 ? Standing.allCases[index % Standing.allCases.count] : nil))
            }
            var events = try Self.events(made, from: 0)
            // Reports and decisions about the bounced messages (m-<n>, conversation c-<sender>), some by the same reporter twice.
            for index in stride(from: 0, to: 480, by: 3) where made[index].standing == nil {
                let at = Timestamp(microseconds: 1_790_000_000_000_000 + Int64(index) * 1_000_000)
                let conversation = "c-\(made[index].user)"
                let event: DomainEvent =
                    index % 4 == 0
                    ? .flagReviewed(FlagReviewed(
                        conversationId: conversation, messageId: "m-\(index)", senderId: made[index].user, staffId: "s-1",
                        decision: ReviewDecision.allCases[index % ReviewDecision.allCases.count], statementOfReasons: "r", occurredAt: at))
                    : .messageFlagged(MessageFlagged(
                        conversationId: conversation, messageId: "m-\(index)", flaggedBy: users[index % 5], reason: .offPlatform, source: .user,
                        occurredAt: at))
                events.insert((try event.stream(), EventData(type: event.typeName, schemaVersion: event.schemaVersion, payload: event.encode())),
                    at: min(events.count, index + index / 3 + 1))
            }
            let slice = (events.count + 3) / 4
            for round in 0..<4 {
                let projector = try ChildProcess(
                    "parley-replay",
                    ["project", "--database-url", url.urlString, "--projection", UserStanding.name, "--projection", ReviewQueue.name, "--page-size", "5"])
                defer { if projector.process.isRunning { projector.kill() } }
                try await append(Array(events[(round * slice)..<min(events.count, (round + 1) * slice)]), to: log)
                try await Task.sleep(for: .milliseconds(Int.random(in: 30...250)))
                projector.kill()
                _ = await projector.wait()
            }
            try await Self.project(log, url, [UserStanding.name, ReviewQueue.name])
            let (expected, stored) = (try await expectedRows(log), try await storedRows(url))
            #expect((expected["standing"]?.count ?? 0) == users.count && (expected["review"]?.count ?? 0) > 100)
            #expect(stored["standing"] == expected["standing"])
            #expect(stored["review"] == expected["review"])
        }
    }
}
