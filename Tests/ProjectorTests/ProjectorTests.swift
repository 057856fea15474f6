import EventLog
import Foundation
import ParleyTestSupport
import Projections
import Testing

/// Corpus events (the shared generator's actions mapped to catalogue events), in corpus order.
func corpusEvents(conversations: Int, seed: Int) throws -> [(stream: StreamName, event: EventData)] {
    let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/corpus.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", generator.path, "--conversations", "\(conversations)", "--seed", "\(seed)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TestSetupError("the corpus generator failed: \(generator.path)") }
    return try data.split(separator: 0x0A).enumerated().map { index, line in
        let mapped = try CorpusEvent(line: Array(line))
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

/// The rows the pure projections give for the whole log, as the tables hold them (sorted text rows).
func expectedRows(_ log: EventLog) async throws -> (unread: [String], totals: [String], inbox: [String]) {
    var unread = UnreadCounts()
    var inbox = Inbox()
    for try await batch in log.scan() {
        for recorded in batch {
            guard let event = try? ProjectedEvent(recorded) else { continue }
            _ = unread.apply(event)
            _ = inbox.apply(event)
        }
    }
    var conversations: [String] = []
    var totals: [String] = []
    for change in unread.snapshot {
        switch change {
        case .conversation(let row): conversations.append("\(row.userId) \(row.conversationId) \(row.count)")
        case .total(let row): totals.append("\(row.userId) \(row.count)")
        }
    }
    let rows = inbox.snapshot.map { change in
        switch change {
        case .upsert(let row):
            "\(row.ownerId) \(row.conversationId) \(row.unreadCount) \(row.awaitingReply) \(row.lastMessageId ?? "-") \(row.lastActivityAt.microseconds)"
        }
    }
    return (conversations.sorted(), totals.sorted(), rows.sorted())
}

/// The rows the tables hold, in the form of ``expectedRows(_:)``.
func storedRows(_ url: DatabaseURL) async throws -> (unread: [String], totals: [String], inbox: [String]) {
    let unread = try await sql(url, "SELECT user_id || ' ' || conversation_id || ' ' || unread FROM parley_unread_counts").compactMap { $0 }
    let totals = try await sql(url, "SELECT user_id || ' ' || unread FROM parley_unread_totals").compactMap { $0 }
    let inbox = try await sql(url, """
        SELECT owner_id || ' ' || conversation_id || ' ' || unread_count || ' ' || awaiting_reply || ' ' ||
               coalesce(last_message_id, '-') || ' ' || (extract(epoch FROM last_activity_at) * 1000000)::int8
        FROM parley_inbox
        """).compactMap { $0 }
    return (unread.sorted(), totals.sorted(), inbox.sorted())
}

@Suite("Projectors against PostgreSQL")
struct ProjectorTests {
    @Test("stored rows equal the pure projections over the same log, for events before and after the projector started")
    func rowsMatchPureProjection() async throws {
        try await withEventLog { log, url in
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
            let expected = try await expectedRows(log)
            let stored = try await storedRows(url)
            #expect(!expected.inbox.isEmpty)
            #expect(stored.unread == expected.unread)
            #expect(stored.totals == expected.totals)
            #expect(stored.inbox == expected.inbox)
        }
    }

    @Test("two projectors at once: one is active, the other stands by, and the rows are right")
    func standby() async throws {
        try await withEventLog { log, url in
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
            let expected = try await expectedRows(log)
            let stored = try await storedRows(url)
            #expect(stored.unread == expected.unread)
            #expect(stored.inbox == expected.inbox)
        }
    }

    @Test("kill -9 of a projector process mid-batch, restarted: no event applied twice or missed")
    func crash() async throws {
        try await withEventLog { log, url in
            let events = try corpusEvents(conversations: 200, seed: 11)
            let rounds = 4
            let slice = (events.count + rounds - 1) / rounds
            for round in 0..<rounds {
                let projector = try ChildProcess("parley-replay", ["project", "--database-url", url.urlString, "--page-size", "7"])
                let part = Array(events[(round * slice)..<min(events.count, (round + 1) * slice)])
                try await append(part, to: log)
                // Kill it while it is still catching up, somewhere inside a batch.
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...300)))
                projector.kill()
                _ = await projector.wait()
            }
            let finisher = try ChildProcess("parley-replay", ["project", "--database-url", url.urlString])
            try await waitForCheckpoints(url, reaching: try await log.head().position)
            finisher.kill()
            _ = await finisher.wait()
            let expected = try await expectedRows(log)
            let stored = try await storedRows(url)
            #expect(stored.unread == expected.unread)
            #expect(stored.totals == expected.totals)
            #expect(stored.inbox == expected.inbox)
        }
    }
}

@Suite("Rebuilding projections while live")
struct RebuildTests {
    @Test("a rebuild while the projector runs and appends continue ends identical to an offline rebuild of the same log")
    func rebuildWhileLive() async throws {
        try await withEventLog { log, url in
            let events = try corpusEvents(conversations: 200, seed: 13)
            let third = events.count / 3
            try await append(Array(events[..<third]), to: log)
            var tuning = ProjectorConfiguration()
            tuning.pageSize = 40
            tuning.standbyInterval = .milliseconds(100)
            let configuration = tuning
            var reports: [RebuildReport] = []
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await StoredProjections.run(StoredProjections.names, log: log, configuration: configuration, logger: testLogger) }
                group.addTask {
                    // Appends keep arriving in small steps during the rebuild.
                    for request in AppendRequest.preservingOrder(Array(events[third...]), maxEvents: 25) {
                        try await log.append(request)
                        try await Task.sleep(for: .milliseconds(2))
                    }
                }
                for name in StoredProjections.names {
                    reports.append(try await StoredProjections.rebuild(name, log: log, logger: testLogger) { _, _ in })
                }
                try await group.next()
                try await waitForCheckpoints(url, reaching: try await log.head().position)
                group.cancelAll()
            }
            #expect(reports.map(\.projection) == StoredProjections.names)
            #expect(reports.allSatisfy { $0.events >= Int64(third) })
            #expect(try await sql(url, "SELECT min(generation)::text FROM parley_projection_checkpoints") == ["2"])
            #expect(try await sql(url, "SELECT count(*)::text FROM pg_tables WHERE tablename LIKE '%\\_shadow' OR tablename LIKE '%\\_old'") == ["0"])
            let expected = try await expectedRows(log)
            let stored = try await storedRows(url)
            #expect(stored.unread == expected.unread)
            #expect(stored.totals == expected.totals)
            #expect(stored.inbox == expected.inbox)
        }
    }
}
