import EventLog
public import Logging
public import PostgresNIO

extension Receipts: ResumableProjection {
    static let threadTables = ThreadTables(prefix: ReceiptRow.table)
    public static let tables = [ReceiptRow.table] + Self.threadTables.names

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(changes, picking: { if case .upsert(let row) = $0 { row } else { nil } })
        try await Self.threadTables.write(
            threads: changes.compactMap { if case .thread(let row) = $0 { row } else { nil } },
            messages: changes.compactMap { if case .threadMessage(let row) = $0 { row } else { nil } },
            with: tables)
    }

    /// The selected threads with the messages their page needs, and those messages' receipts: the
    /// SQL counterpart of ``select(_:from:)``.
    public static func load(_ selectors: [ThreadSelector], client: PostgresClient, logger: Logger) async throws -> [Change] {
        let (threads, messages) = try await Self.threadTables.load(Set(selectors), client: client, logger: logger)
        var loaded = threads.map(Change.thread) + messages.map(Change.threadMessage)
        let receipts = try await client.query(
            """
            SELECT r.conversation_id, r.message_id, r.recipient_id, r.sender_id, (extract(epoch FROM r.sent_at) * 1000000)::int8,
                   (extract(epoch FROM r.delivered_at) * 1000000)::int8, (extract(epoch FROM r.read_at) * 1000000)::int8
            FROM parley_receipts r
            JOIN unnest(\(messages.map(\.conversationId))::text[], \(messages.map(\.messageId))::text[]) AS m(conversation_id, message_id)
              ON r.conversation_id = m.conversation_id AND r.message_id = m.message_id
            """, logger: logger)
        for try await (conversation, message, recipient, sender, sentAt, deliveredAt, readAt) in receipts.decode(
            (String, String, String, String, Int64, Int64?, Int64?).self)
        {
            loaded.append(.upsert(ReceiptRow(
                conversationId: conversation, messageId: message, senderId: sender, recipientId: recipient,
                sentAt: Timestamp(microseconds: sentAt), deliveredAt: deliveredAt.map { Timestamp(microseconds: $0) },
                readAt: readAt.map { Timestamp(microseconds: $0) })))
        }
        return loaded
    }
}

extension ReceiptRow: StoredRow {
    static let table = "parley_receipts"
    static let keyColumns = ["conversation_id", "message_id", "recipient_id"]
    static let valueColumns = ["sender_id", "sent_at", "delivered_at", "read_at"]

    func writeColumns(into writer: inout some ColumnWriter) {
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
