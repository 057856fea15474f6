public import Logging
public import PostgresNIO

extension UnreadCounts: ResumableProjection {
    static let threadTables = ThreadTables(prefix: "parley_unread")
    public static let tables = ["parley_unread_counts", "parley_unread_totals"] + Self.threadTables.names

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        var conversations: [ConversationUnreadRow] = []
        var totals: [UserUnreadTotalRow] = []
        var threads: [ThreadRow] = []
        var messages: [ThreadMessageRow] = []
        for change in changes {
            switch change {
            case .conversation(let row): conversations.append(row)
            case .total(let row): totals.append(row)
            case .thread(let row): threads.append(row)
            case .threadMessage(let row): messages.append(row)
            }
        }
        if !conversations.isEmpty {
            try await connection.query(
                """
                INSERT INTO parley_unread_counts\(unescaped: suffix) (user_id, conversation_id, unread)
                SELECT * FROM unnest(\(conversations.map(\.userId))::text[], \(conversations.map(\.conversationId))::text[],
                                     \(conversations.map { Int32($0.count) })::int4[])
                ON CONFLICT (user_id, conversation_id) DO UPDATE SET unread = EXCLUDED.unread
                """, logger: logger)
        }
        if !totals.isEmpty {
            try await connection.query(
                """
                INSERT INTO parley_unread_totals\(unescaped: suffix) (user_id, unread)
                SELECT * FROM unnest(\(totals.map(\.userId))::text[], \(totals.map { Int32($0.count) })::int4[])
                ON CONFLICT (user_id) DO UPDATE SET unread = EXCLUDED.unread
                """, logger: logger)
        }
        try await Self.threadTables.write(threads: threads, messages: messages, suffix: suffix, on: connection, logger: logger)
    }

    /// The selected threads with the messages their page needs, and the totals of the selected
    /// users and of those threads' participants: the SQL counterpart of ``select(_:from:)``. The
    /// per-conversation counts are kept in the threads, so they are not read.
    public static func load(_ selectors: [RowSelector], client: PostgresClient, logger: Logger) async throws -> [Change] {
        var (threadSelectors, users) = (Set<ThreadSelector>(), Set<String>())
        for selector in selectors {
            switch selector {
            case .thread(let thread): threadSelectors.insert(thread)
            case .total(let user): users.insert(user)
            }
        }
        let (threads, messages) = try await Self.threadTables.load(threadSelectors, client: client, logger: logger)
        for thread in threads { users.formUnion([thread.buyerId, thread.vendorId]) }
        var loaded = threads.map(Change.thread) + messages.map(Change.threadMessage)
        let totals = try await client.query(
            "SELECT user_id, unread FROM parley_unread_totals WHERE user_id = ANY(\(Array(users)))", logger: logger)
        for try await (user, count) in totals.decode((String, Int).self) {
            loaded.append(.total(UserUnreadTotalRow(userId: user, count: count)))
        }
        return loaded
    }
}
