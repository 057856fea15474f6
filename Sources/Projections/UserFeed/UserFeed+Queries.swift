public import EventLog
public import Logging
public import PostgresNIO

// The stored feed's read API: users' updates, read from the index the inbox's projector writes and
// the log; and what a server checks a command against (a conversation's parties, a listing, an
// order), read from the feed's tables.
extension UserFeed {
    /// The position after which the stored updates are complete (0 unless the inbox was rebuilt:
    /// a client that resumes from before it cannot be caught up from them).
    public static func updateFloor(client: PostgresClient, logger: Logger) async throws -> Int64 {
        for try await position in try await client.query("SELECT position FROM parley_feed_floor", logger: logger).decode(Int64.self) {
            return position
        }
        throw ProjectorError("parley_feed_floor has no row; run the migrations")
    }

    /// How many updates `user` has after `position` through `through`.
    public static func updateCount(for user: String, after position: Int64, through: Int64, client: PostgresClient, logger: Logger) async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*) FROM parley_feed_updates WHERE user_id = \(user) AND position > \(position) AND position <= \(through)", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// `user`'s updates after `position` through `through`, oldest first, at most `limit`, as the
    /// user may read them now: a message staff redacted since it was sent comes without its text
    /// (``UserUpdate/hidingRedacted(_:)``). What a client that reconnects is caught up with.
    public static func updates(
        for user: String, after position: Int64, through: Int64, limit: Int, log: EventLog, logger: Logger
    ) async throws -> [UserUpdate] {
        try await Self.updates(user: user, after: position, through: through, limit: Int64(limit), current: true, log: log, logger: logger)
    }

    /// Every user's updates at the positions after `position` through `through`, in position
    /// order, as they were when their event was applied: what a live feed hands on.
    public static func updates(after position: Int64, through: Int64, log: EventLog, logger: Logger) async throws -> [UserUpdate] {
        try await Self.updates(user: nil, after: position, through: through, limit: .max, current: false, log: log, logger: logger)
    }

    /// The stored updates of `user` (of every user when nil) in a range of positions; with
    /// `current`, as the user may read them now.
    private static func updates(
        user: String?, after position: Int64, through: Int64, limit: Int64, current: Bool, log: EventLog, logger: Logger
    ) async throws -> [UserUpdate] {
        // One statement for both: PostgreSQL plans an unnamed statement with its values, so the
        // per-user read uses the primary key and the all-users read the position index.
        let rows = try await log.client.query(
            """
            SELECT u.user_id, u.position, u.kind, u.shown::text, i.ordinality IS NOT NULL, \(unescaped: Inbox.columns)
            FROM (SELECT * FROM parley_feed_updates
                  WHERE (\(user)::text IS NULL OR user_id = \(user)) AND position > \(position) AND position <= \(through)
                  ORDER BY position, user_id LIMIT \(limit)) u
            LEFT JOIN LATERAL json_populate_recordset(NULL::parley_inbox, u.rows) WITH ORDINALITY i ON true
            ORDER BY u.position, u.user_id, i.ordinality
            """, logger: logger)
        var stored: [(user: String, position: Int64, kind: UserUpdate.Kind, shown: MessageSent?, rows: [InboxRow])] = []
        for try await row in rows {
            var cells = row.makeRandomAccess()
            let (user, at) = (try cells[0].decode(String.self), try cells[1].decode(Int64.self))
            if stored.last?.position != at || stored.last?.user != user {
                let kind = try UserUpdate.Kind(stored: try cells[2].decode(String.self), in: UpdateRow.table)
                let shown = try cells[3].decode(String?.self).map { text in
                    do { return try MessageSent(jsonBytes: Array(text.utf8)) } catch {
                        throw ProjectorError("\(UpdateRow.table) holds a message this build cannot read: \(error)")
                    }
                }
                stored.append((user, at, kind, shown, []))
            }
            if try cells[4].decode(Bool.self) { stored[stored.count - 1].rows.append(try Inbox.row(&cells, from: 5)) }
        }
        var positions: [Int64] = []
        for item in stored where positions.last != item.position { positions.append(item.position) }
        var events: [Int64: ProjectedEvent] = [:]
        for recorded in try await log.read(positions: positions) { events[recorded.position] = try ProjectedEvent(recorded) }
        var redacted: [String: Set<String>] = [:]
        if current {
            let conversations = Set(events.values.filter { $0.stream.category == "conversation" }.map(\.stream.id))
            for row in try await Self.conversations(Array(conversations), client: log.client, logger: logger) {
                redacted[row.conversationId] = row.conversation.redacted
            }
        }
        return try stored.map { item in
            guard let event = events[item.position] else {
                throw ProjectorError("\(UpdateRow.table) names position \(item.position), which the log does not hold")
            }
            let shown = item.kind == .hidden || item.kind == .inboxChanged ? nil : item.shown.map(DomainEvent.messageSent) ?? Self.visible(event.event)
            let update = UserUpdate(
                userId: item.user, position: item.position, stream: event.stream, streamVersion: event.streamVersion,
                recordedAt: event.recordedAt, kind: item.kind, event: shown, inbox: item.rows)
            return update.hidingRedacted(redacted[event.stream.id] ?? [])
        }
    }

    /// What the stored feed knows of a conversation, if it started.
    public static func conversation(_ id: String, client: PostgresClient, logger: Logger) async throws -> Conversation? {
        try await Self.conversations([id], client: client, logger: logger).first?.conversation
    }

    /// The latest details of a listing, if the platform told them.
    public static func listing(_ id: String, client: PostgresClient, logger: Logger) async throws -> ListingUpdated? {
        try await Self.events(ListingUpdated.self, in: FeedListingRow.table, keyedBy: "listing_id", [id], client: client, logger: logger).first
    }

    /// The latest state change of an order, if the platform told one.
    public static func order(_ id: String, client: PostgresClient, logger: Logger) async throws -> OrderStateChanged? {
        try await Self.events(OrderStateChanged.self, in: FeedOrderRow.table, keyedBy: "order_id", [id], client: client, logger: logger).first
    }

    /// `user`'s inbox rows, most recent activity first, each conversation's version, and the log
    /// position they reflect: read in one snapshot of the database, so the three agree.
    public static func snapshot(
        of user: String, client: PostgresClient, logger: Logger
    ) async throws -> (rows: [InboxRow], versions: [String: Int], position: Int64) {
        try await client.withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                var position: Int64 = 0
                for try await checkpoint in try await connection.query(
                    "SELECT position FROM parley_projection_checkpoints WHERE projection = \(Self.name)", logger: logger
                ).decode(Int64.self) { position = checkpoint }
                var rows: [InboxRow] = []
                var versions: [String: Int] = [:]
                let stored = try await connection.query(
                    """
                    SELECT c.version, \(unescaped: Inbox.columns) FROM parley_inbox i
                    LEFT JOIN parley_feed_conversations c ON c.conversation_id = i.conversation_id
                    WHERE i.owner_id = \(user) ORDER BY i.last_activity_at DESC, i.conversation_id DESC
                    """, logger: logger)
                for try await row in stored {
                    var cells = row.makeRandomAccess()
                    let inboxRow = try Inbox.row(&cells, from: 1)
                    rows.append(inboxRow)
                    versions[inboxRow.conversationId] = try cells[0].decode(Int32?.self).map(Int.init)
                }
                try await connection.query("COMMIT", logger: logger)
                return (rows, versions, position)
            } catch {
                try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}
