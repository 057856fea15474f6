public import Logging
public import PostgresNIO

extension UnreadCounts: ResumableProjection {
    static let threadTables = ThreadTables(prefix: "parley_unread")
    public static let tables = [ConversationUnreadRow.table, UserUnreadTotalRow.table] + Self.threadTables.names

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
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
        try await tables.write(conversations)
        try await tables.write(totals)
        try await Self.threadTables.write(threads: threads, messages: messages, with: tables)
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

extension ConversationUnreadRow: StoredRow {
    static let table = "parley_unread_counts"
    static let keyColumns = ["user_id", "conversation_id"]
    static let valueColumns = ["unread"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("user_id", self.userId)
        writer.field("conversation_id", self.conversationId)
        writer.field("unread", self.count)
        writer.endObject()
    }
}

extension UserUnreadTotalRow: StoredRow {
    static let table = "parley_unread_totals"
    static let keyColumns = ["user_id"]
    static let valueColumns = ["unread"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("user_id", self.userId)
        writer.field("unread", self.count)
        writer.endObject()
    }
}
