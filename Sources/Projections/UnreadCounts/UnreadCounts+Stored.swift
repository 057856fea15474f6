public import Logging
public import PostgresNIO

extension UnreadCounts: StoredProjection {
    public static let tables = ["parley_unread_counts", "parley_unread_totals"]

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        var conversations: [ConversationUnreadRow] = []
        var totals: [UserUnreadTotalRow] = []
        for change in changes {
            switch change {
            case .conversation(let row): conversations.append(row)
            case .total(let row): totals.append(row)
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
    }
}
