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

    /// The stored rows an event needs: a conversation's thread, the messages the event needs of it
    /// (``ThreadSelector``) and their receipts.
    public typealias RowSelector = ThreadSelector

    public static let name = "receipts"

    /// A conversation's thread and its messages' receipts.
    private struct Conversation: Hashable, Sendable {
        var thread: ConversationThread
        /// The receipts of each message at hand, by the message's place in the thread: the
        /// buyer's, then the vendor's.
        var receipts: [Int: [ReceiptRow]] = [:]

        /// Adds the receipt of the newest message for one recipient (once: a buyer who is also the
        /// vendor gets one row, as the key says).
        mutating func addReceipt(of message: MessageSent, for recipient: String, into changes: inout [Change]) {
            let row = ReceiptRow(
                conversationId: message.conversationId, messageId: message.messageId, senderId: message.senderId,
                recipientId: recipient, sentAt: message.occurredAt)
            let place = self.thread.count - 1
            if self.receipts[place]?.last?.recipientId != recipient { self.receipts[place, default: []].append(row) }
            changes.append(.upsert(row))
        }

        /// Sets the delivery (and, for reads, read) time of the recipient's receipts of the covered
        /// messages from others that have none yet.
        mutating func stamp(
            _ covered: ConversationThread.Covered, for recipient: String, read: Bool, at time: Timestamp, into changes: inout [Change]
        ) {
            for place in covered.range where self.thread.message(at: place).senderId != recipient {
                for slot in self.receipts[place, default: []].indices where self.receipts[place]?[slot].recipientId == recipient {
                    guard var row = self.receipts[place]?[slot] else { continue }
                    var changed = false
                    if row.deliveredAt == nil {
                        row.deliveredAt = time
                        changed = true
                    }
                    if read && row.readAt == nil {
                        row.readAt = time
                        changed = true
                    }
                    guard changed else { continue }
                    self.receipts[place]?[slot] = row
                    changes.append(.upsert(row))
                }
            }
        }
    }

    private var conversations = IndexedValues<String, Conversation>()

    /// No messages, no receipts.
    public init() {}

    /// The receipt of a message for one recipient, if any.
    public func receipt(conversation: String, message: String, recipient: String) -> ReceiptRow? {
        guard let conversation = self.conversations[conversation], let place = conversation.thread.index(of: message) else { return nil }
        return conversation.receipts[place]?.first { $0.recipientId == recipient }
    }

    /// Receipts that hold these stored threads, with the messages at hand and their receipts.
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
            for message in messages[row.conversationId] ?? [] {
                // In the order they were added: the buyer's receipt, then the vendor's.
                conversation.receipts[message.seq] = (receipts[row.conversationId]?[message.messageId] ?? []).sorted {
                    $0.recipientId == row.buyerId && $1.recipientId != row.buyerId
                }
            }
            _ = self.conversations.append(conversation, for: row.conversationId)
        }
    }

    public var snapshot: [Change] {
        zip(self.conversations.keys, self.conversations.values).flatMap { id, conversation in
            let (thread, messages) = conversation.thread.rows(id)
            return messages.flatMap { conversation.receipts[$0.seq, default: []].map(Change.upsert) } + [.thread(thread)]
                + messages.map(Change.threadMessage)
        }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        switch event.event {
        case .conversationStarted(let e): [.thread(e.conversationId)]
        case .messageSent(let e): [.message(MessageKey(conversationId: e.conversationId, messageId: e.messageId))]
        case .messageDelivered(let e):
            [.watermark(.init(conversationId: e.conversationId, userId: e.recipientId, upTo: e.upToMessageId, mark: .delivered))]
        case .messageRead(let e): [.watermark(.init(conversationId: e.conversationId, userId: e.readerId, upTo: e.upToMessageId, mark: .read))]
        default: []
        }
    }

    /// Whether a row is of the selector's conversation; ``select(_:from:)`` narrows a thread's
    /// messages, and their receipts, to those the page needs.
    public static func selects(_ selector: ThreadSelector, _ row: Change) -> Bool {
        switch row {
        case .upsert(let row): row.conversationId == selector.conversationId
        case .thread(let row): row.conversationId == selector.conversationId
        case .threadMessage(let row): row.conversationId == selector.conversationId
        }
    }

    /// The selected threads, the messages their page needs (``ThreadSelector``) and those
    /// messages' receipts.
    public static func select(_ selectors: Set<ThreadSelector>, from rows: [Change]) -> [Change] {
        let conversations = Set(selectors.map(\.conversationId))
        let keys = ThreadSelector.select(selectors, from: rows)
        let messages = Set(rows.compactMap(\.threadMessageRow).filter { keys.contains($0.key) }.map(\.messageKey))
        return rows.filter { row in
            switch row {
            case .thread(let thread): conversations.contains(thread.conversationId)
            case .threadMessage(let message): keys.contains(message.key)
            case .upsert(let receipt): messages.contains(MessageKey(conversationId: receipt.conversationId, messageId: receipt.messageId))
            }
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
            let thread = self.conversations.values[index].thread
            changes.append(.thread(thread.row(message.conversationId)))
            changes.append(.threadMessage(thread.newestMessageRow(message.conversationId)))
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

extension Receipts.Change: ThreadKeepingChange {
    var threadRow: ThreadRow? { if case .thread(let row) = self { row } else { nil } }
    var threadMessageRow: ThreadMessageRow? { if case .threadMessage(let row) = self { row } else { nil } }
}
