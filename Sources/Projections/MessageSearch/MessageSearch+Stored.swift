public import EventLog
public import Logging
public import PostgresNIO

extension MessageSearch: ResumableProjection {
    public static let tables = [MessageSearchRow.table]

    public static func load(_ keys: [MessageSearchRow.Key], client: PostgresClient, logger: Logger) async throws -> [Change] {
        let rows = try await client.query(
            """
            SELECT s.conversation_id, s.message_id, s.sender_id, (extract(epoch FROM s.sent_at) * 1000000)::int8, s.body, s.redacted,
                   s.fingerprint
            FROM parley_message_search s
            JOIN unnest(\(keys.map(\.conversationId)), \(keys.map(\.messageId))) AS k(conversation_id, message_id)
              ON s.conversation_id = k.conversation_id AND s.message_id = k.message_id
            """, logger: logger)
        var loaded: [Change] = []
        for try await (conversation, message, sender, sentAt, body, redacted, fingerprint) in rows.decode(
            (String, String, String, Int64, String, Bool, Int64?).self)
        {
            loaded.append(.upsert(MessageSearchRow(
                conversationId: conversation, messageId: message, senderId: sender, sentAt: Timestamp(microseconds: sentAt), body: body,
                redacted: redacted, fingerprint: fingerprint)))
        }
        return loaded
    }

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(rowsOf: changes)
    }
}

extension MessageSearch.Change: RowChange {
    var row: MessageSearchRow {
        switch self {
        case .upsert(let row): row
        }
    }
}

extension MessageSearchRow: StoredRow {
    static let table = "parley_message_search"
    static let keyColumns = ["conversation_id", "message_id"]
    static let valueColumns = ["sender_id", "sent_at", "body", "redacted", "fingerprint"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("message_id", self.messageId)
        writer.field("sender_id", self.senderId)
        writer.field("sent_at", self.sentAt)
        writer.field("body", self.body)
        writer.field("redacted", self.redacted)
        writer.field("fingerprint", self.fingerprint)
        writer.endObject()
    }
}
