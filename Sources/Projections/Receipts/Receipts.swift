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
        /// Insert or replace a conversation's thread (where the watermarks are kept).
        case thread(ThreadRow)
        /// Insert or replace a message of a conversation's thread.
        case threadMessage(ThreadMessageRow)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case receipt(ReceiptRow.Key)
            case thread(conversationId: String)
            case threadMessage(ThreadMessageRow.Key)
        }

        public var key: Key {
            switch self {
            case .upsert(let row): .receipt(row.key)
            case .thread(let row): .thread(conversationId: row.conversationId)
            case .threadMessage(let row): .threadMessage(row.key)
            }
        }
    }

    /// The stored rows an event needs: a conversation's thread, its messages and their receipts.
    public typealias RowSelector = String

    public static let name = "receipts"

    /// A conversation's thread and its receipts, in message order: message `i`'s receipts are
    /// `rows[firstRow[i]..<firstRow[i + 1]]` (the last message's run to the end).
    private struct Conversation: Hashable, Sendable {
        var thread: ConversationThread
        var rows: [ReceiptRow] = []
        var firstRow: [Int] = []

        func rows(ofMessage index: Int) -> Range<Int> {
            self.firstRow[index]..<(index + 1 < self.firstRow.count ? self.firstRow[index + 1] : self.rows.count)
        }

        /// Adds the receipt of the newest message for one recipient (once: a buyer who is also the
        /// vendor gets one row, as the key says).
        mutating func addReceipt(of message: MessageSent, for recipient: String, into changes: inout [Change]) {
            let row = ReceiptRow(
                conversationId: message.conversationId, messageId: message.messageId, senderId: message.senderId,
                recipientId: recipient, sentAt: message.occurredAt)
            if self.rows.count == self.firstRow[self.firstRow.count - 1] || self.rows[self.rows.count - 1].recipientId != recipient {
                self.rows.append(row)
            }
            changes.append(.upsert(row))
        }

        /// Sets the delivery (and, for reads, read) time of the recipient's receipts of the covered
        /// messages from others that have none yet.
        mutating func stamp(
            _ covered: ConversationThread.Covered, for recipient: String, read: Bool, at time: Timestamp, into changes: inout [Change]
        ) {
            for message in covered.range where self.thread.messages[message].senderId != recipient {
                for slot in self.rows(ofMessage: message) where self.rows[slot].recipientId == recipient {
                    var changed = false
                    if self.rows[slot].deliveredAt == nil {
                        self.rows[slot].deliveredAt = time
                        changed = true
                    }
                    if read && self.rows[slot].readAt == nil {
                        self.rows[slot].readAt = time
                        changed = true
                    }
                    if changed { changes.append(.upsert(self.rows[slot])) }
                }
            }
        }
    }

    private var conversations = IndexedValues<String, Conversation>()

    /// No messages, no receipts.
    public init() {}

    /// The receipt of a message for one recipient, if any.
    public func receipt(conversation: String, message: String, recipient: String) -> ReceiptRow? {
        guard let conversation = self.conversations[conversation], let index = conversation.thread.index(of: message) else { return nil }
        return conversation.rows[conversation.rows(ofMessage: index)].first { $0.recipientId == recipient }
    }

    /// Receipts that hold these stored threads, with their messages and receipts.
    public init(restoring rows: [Change]) {
        var messages: [String: [ThreadMessageRow]] = [:]
        var receipts: [String: [String: [ReceiptRow]]] = [:]
        for row in rows {
            switch row {
            case .threadMessage(let message): messages[message.conversationId, default: []].append(message)
            case .upsert(let receipt): receipts[receipt.conversationId, default: [:]][receipt.messageId, default: []].append(receipt)
            case .thread: break
            }
        }
        for case .thread(let row) in rows where self.conversations.index(of: row.conversationId) == nil {
            var conversation = Conversation(thread: ConversationThread(restoring: row, messages: messages[row.conversationId] ?? []))
            for message in conversation.thread.messages {
                conversation.firstRow.append(conversation.rows.count)
                // In the order they were added: the buyer's receipt, then the vendor's.
                conversation.rows += (receipts[row.conversationId]?[message.id] ?? []).sorted { $0.recipientId == row.buyerId && $1.recipientId != row.buyerId }
            }
            _ = self.conversations.append(conversation, for: row.conversationId)
        }
    }

    public var snapshot: [Change] {
        zip(self.conversations.keys, self.conversations.values).flatMap { id, conversation in
            let (thread, messages) = conversation.thread.rows(id)
            return conversation.rows.map(Change.upsert) + [.thread(thread)] + messages.map(Change.threadMessage)
        }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        switch event.event {
        case .conversationStarted(let e): [e.conversationId]
        case .messageSent(let e): [e.conversationId]
        case .messageDelivered(let e): [e.conversationId]
        case .messageRead(let e): [e.conversationId]
        default: []
        }
    }

    public static func selects(_ conversation: String, _ row: Change) -> Bool {
        switch row {
        case .upsert(let row): row.conversationId == conversation
        case .thread(let row): row.conversationId == conversation
        case .threadMessage(let row): row.conversationId == conversation
        }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            if self.conversations.index(of: started.conversationId) == nil {
                let thread = ConversationThread(started)
                _ = self.conversations.append(Conversation(thread: thread), for: started.conversationId)
                changes.append(.thread(thread.row(started.conversationId)))
            }
        case .messageSent(let message):
            guard let index = self.conversations.index(of: message.conversationId),
                self.conversations.values[index].thread.add(message)
            else { return }
            self.conversations.values[index].firstRow.append(self.conversations.values[index].rows.count)
            let thread = self.conversations.values[index].thread
            changes.append(.thread(thread.row(message.conversationId)))
            changes.append(.threadMessage(thread.messageRow(message.conversationId, at: thread.messages.count - 1)))
            let (buyer, vendor) = (self.conversations.values[index].thread.buyerId, self.conversations.values[index].thread.vendorId)
            if buyer != message.senderId { self.conversations.values[index].addReceipt(of: message, for: buyer, into: &changes) }
            if vendor != message.senderId { self.conversations.values[index].addReceipt(of: message, for: vendor, into: &changes) }
        case .messageDelivered(let delivered):
            guard let index = self.conversations.index(of: delivered.conversationId) else { return }
            let covered = self.conversations.values[index].thread.markDelivered(to: delivered.recipientId, upTo: delivered.upToMessageId)
            if !covered.range.isEmpty { changes.append(.thread(self.conversations.values[index].thread.row(delivered.conversationId))) }
            self.conversations.values[index].stamp(covered, for: delivered.recipientId, read: false, at: delivered.occurredAt, into: &changes)
        case .messageRead(let read):
            guard let index = self.conversations.index(of: read.conversationId) else { return }
            let covered = self.conversations.values[index].thread.markRead(by: read.readerId, upTo: read.upToMessageId)
            if !covered.range.isEmpty { changes.append(.thread(self.conversations.values[index].thread.row(read.conversationId))) }
            self.conversations.values[index].stamp(covered, for: read.readerId, read: true, at: read.occurredAt, into: &changes)
        default:
            return
        }
    }
}
