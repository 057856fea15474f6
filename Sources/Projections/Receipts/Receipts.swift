import EventLog

/// Per message and recipient: when it was sent, delivered and read (see ``ReceiptRow``).
///
/// Recipients are the conversation's participants other than the sender. Delivery and read
/// events are watermarks: one covers every earlier message too. A read also counts as delivery
/// for messages no delivery watermark covered yet.
public struct Receipts: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace the receipt.
        case upsert(ReceiptRow)

        public var key: ReceiptRow.Key {
            switch self {
            case .upsert(let row): row.key
            }
        }
    }

    public static let name = "receipts"

    private var threads: [String: ConversationThread] = [:]
    private var rows: [ReceiptRow.Key: ReceiptRow] = [:]

    /// No messages, no receipts.
    public init() {}

    /// The receipt of a message for one recipient, if any.
    public func receipt(conversation: String, message: String, recipient: String) -> ReceiptRow? {
        self.rows[ReceiptRow.Key(conversationId: conversation, messageId: message, recipientId: recipient)]
    }

    public var snapshot: [Change] { self.rows.values.map(Change.upsert) }

    public mutating func apply(_ event: ProjectedEvent) -> [Change] {
        switch event.event {
        case .conversationStarted(let started):
            if self.threads[started.conversationId] == nil { self.threads[started.conversationId] = ConversationThread(started) }
            return []
        case .messageSent(let message):
            guard self.threads[message.conversationId]?.add(message) == true else { return [] }
            return self.threads[message.conversationId]!.participants.filter { $0 != message.senderId }.map { recipient in
                let row = ReceiptRow(
                    conversationId: message.conversationId, messageId: message.messageId, senderId: message.senderId,
                    recipientId: recipient, sentAt: message.occurredAt)
                self.rows[row.key] = row
                return .upsert(row)
            }
        case .messageDelivered(let delivered):
            let messages = self.threads[delivered.conversationId]?.markDelivered(to: delivered.recipientId, upTo: delivered.upToMessageId) ?? []
            return self.stamp(messages, in: delivered.conversationId, for: delivered.recipientId, read: false, at: delivered.occurredAt)
        case .messageRead(let read):
            let messages = self.threads[read.conversationId]?.markRead(by: read.readerId, upTo: read.upToMessageId) ?? []
            return self.stamp(messages, in: read.conversationId, for: read.readerId, read: true, at: read.occurredAt)
        default:
            return []
        }
    }

    /// Sets the delivery (and, for reads, read) time of the recipient's receipts that have none yet.
    private mutating func stamp(
        _ messages: [ConversationThread.Message], in conversationId: String, for recipient: String, read: Bool, at time: Timestamp
    ) -> [Change] {
        messages.compactMap { message in
            let key = ReceiptRow.Key(conversationId: conversationId, messageId: message.id, recipientId: recipient)
            guard var row = self.rows[key] else { return nil }
            let before = row
            if row.deliveredAt == nil { row.deliveredAt = time }
            if read && row.readAt == nil { row.readAt = time }
            guard row != before else { return nil }
            self.rows[key] = row
            return .upsert(row)
        }
    }
}
