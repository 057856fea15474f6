public import Logging
public import PostgresNIO

extension MessageSearch: StoredProjection {
    public static let tables = [MessageSearchRow.table]

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await MessageSearchRow.upsert(rowsOf: changes, suffix: suffix, on: connection, logger: logger)
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

    func writeColumns(json writer: inout JSONWriter) {
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
