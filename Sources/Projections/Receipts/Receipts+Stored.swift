public import Logging
public import PostgresNIO

extension Receipts: StoredProjection {
    public static let tables = [ReceiptRow.table]

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await ReceiptRow.upsert(rowsOf: changes, suffix: suffix, on: connection, logger: logger)
    }
}

extension Receipts.Change: RowChange {
    var row: ReceiptRow {
        switch self {
        case .upsert(let row): row
        }
    }
}

extension ReceiptRow: StoredRow {
    static let table = "parley_receipts"
    static let keyColumns = ["conversation_id", "message_id", "recipient_id"]
    static let valueColumns = ["sender_id", "sent_at", "delivered_at", "read_at"]

    func writeColumns(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("message_id", self.messageId)
        writer.field("recipient_id", self.recipientId)
        writer.field("sender_id", self.senderId)
        writer.field("sent_at", self.sentAt)
        writer.field("delivered_at", self.deliveredAt)
        writer.field("read_at", self.readAt)
        writer.endObject()
    }
}
