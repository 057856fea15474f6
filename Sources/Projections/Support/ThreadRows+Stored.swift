import EventLog
import Logging
import PostgresNIO

/// The two tables in which one projection keeps its threads (`<prefix>_threads` and
/// `<prefix>_thread_messages`, created by the migrations), and the SQL that writes and reads them.
struct ThreadTables: Sendable {
    /// The table of ``ThreadRow``s.
    let threads: String
    /// The table of ``ThreadMessageRow``s.
    let messages: String

    /// The thread tables of the projection whose tables start with `prefix` (e.g. `parley_receipts`).
    init(prefix: String) {
        self.threads = "\(prefix)_threads"
        self.messages = "\(prefix)_thread_messages"
    }

    /// Both tables, as a projection lists its tables.
    var names: [String] { [self.threads, self.messages] }

    /// Writes threads and thread messages through `tables`.
    func write(threads: [ThreadRow], messages: [ThreadMessageRow], with tables: TableWriter) async throws {
        try await tables.write(threads, into: self.threads)
        try await tables.write(messages, into: self.messages)
    }

    /// The stored threads `selectors` select (those that exist), each with the messages they need
    /// (``ThreadSelector``): first the threads and the named messages, then the messages the
    /// watermark moves pass over, each query through an index.
    func load(_ selectors: Set<ThreadSelector>, client: PostgresClient, logger: Logger) async throws -> (
        threads: [ThreadRow], messages: [ThreadMessageRow]
    ) {
        guard !selectors.isEmpty else { return ([], []) }
        var threads: [String: ThreadRow] = [:]
        let threadRows = try await client.query(
            """
            SELECT conversation_id, buyer_id, vendor_id, message_count, buyer_delivered, buyer_read, buyer_unread,
                   vendor_delivered, vendor_read, vendor_unread
            FROM \(unescaped: self.threads) WHERE conversation_id = ANY(\(Array(Set(selectors.map(\.conversationId)))))
            """, logger: logger)
        for try await (id, buyer, vendor, count, buyerDelivered, buyerRead, buyerUnread, vendorDelivered, vendorRead, vendorUnread)
            in threadRows.decode((String, String, String, Int, Int, Int, Int, Int, Int, Int).self)
        {
            threads[id] = ThreadRow(
                conversationId: id, buyerId: buyer, vendorId: vendor, messageCount: count, buyerDelivered: buyerDelivered,
                buyerRead: buyerRead, buyerUnread: buyerUnread, vendorDelivered: vendorDelivered, vendorRead: vendorRead,
                vendorUnread: vendorUnread)
        }
        let named = ThreadSelector.namedMessages(selectors).filter { threads[$0.conversationId] != nil }
        var messages = try await self.messages(
            """
            JOIN unnest(\(named.map(\.conversationId))::text[], \(named.map(\.messageId))::text[]) AS n(conversation_id, message_id)
              ON m.conversation_id = n.conversation_id AND m.message_id = n.message_id
            """, client: client, logger: logger)
        var places: [MessageKey: Int] = [:]
        for message in messages { places[message.messageKey] = message.seq }
        let ranges = ThreadSelector.passedOver(selectors, threads: threads, places: places).flatMap { conversation, ranges in
            ranges.map { (conversation, $0) }
        }
        if !ranges.isEmpty {
            let have = Set(messages.map(\.key))
            messages += try await self.messages(
                """
                JOIN unnest(\(ranges.map(\.0))::text[], \(ranges.map { $0.1.lowerBound })::int4[], \(ranges.map { $0.1.upperBound })::int4[])
                  AS r(conversation_id, low, high)
                  ON m.conversation_id = r.conversation_id AND m.seq BETWEEN r.low AND r.high
                """, client: client, logger: logger
            ).filter { !have.contains($0.key) }
        }
        return (Array(threads.values), messages)
    }

    /// The stored messages that `join` (a join on the message table `m`) picks, each once.
    private func messages(_ join: PostgresQuery, client: PostgresClient, logger: Logger) async throws -> [ThreadMessageRow] {
        // The table's name is this type's own constant, never input.
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT DISTINCT m.conversation_id, m.seq, m.message_id, m.sender_id, (extract(epoch FROM m.sent_at) * 1000000)::int8, m.withheld
                FROM \(self.messages) m
                """ + "\n" + join.sql,
            binds: join.binds)
        var messages: [ThreadMessageRow] = []
        for try await (id, seq, message, sender, sentAt, withheld) in try await client.query(query, logger: logger).decode(
            (String, Int, String, String, Int64, String?).self)
        {
            messages.append(ThreadMessageRow(
                conversationId: id, seq: seq, messageId: message, senderId: sender, sentAt: Timestamp(microseconds: sentAt),
                withheld: try withheld.map { try Withholding(stored: $0, in: self.messages) }))
        }
        return messages
    }
}

extension ThreadRow: TableRow {
    static let keyColumns = ["conversation_id"]
    static let valueColumns = [
        "buyer_id", "vendor_id", "message_count", "buyer_delivered", "buyer_read", "buyer_unread", "vendor_delivered", "vendor_read",
        "vendor_unread",
    ]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("buyer_id", self.buyerId)
        writer.field("vendor_id", self.vendorId)
        writer.field("message_count", self.messageCount)
        writer.field("buyer_delivered", self.buyerDelivered)
        writer.field("buyer_read", self.buyerRead)
        writer.field("buyer_unread", self.buyerUnread)
        writer.field("vendor_delivered", self.vendorDelivered)
        writer.field("vendor_read", self.vendorRead)
        writer.field("vendor_unread", self.vendorUnread)
        writer.endObject()
    }
}

extension ThreadMessageRow: TableRow {
    static let keyColumns = ["conversation_id", "seq"]
    static let valueColumns = ["message_id", "sender_id", "sent_at", "withheld"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("seq", self.seq)
        writer.field("message_id", self.messageId)
        writer.field("sender_id", self.senderId)
        writer.field("sent_at", self.sentAt)
        writer.field("withheld", self.withheld)
        writer.endObject()
    }
}
