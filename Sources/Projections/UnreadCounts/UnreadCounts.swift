/// Unread messages per conversation per participant, and per user in total.
///
/// A message is unread by a participant when someone else sent it and it comes after the
/// participant's read watermark (``MessageRead``). Only the buyer and the vendor have counts.
public struct UnreadCounts: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace a conversation's count for one participant.
        case conversation(ConversationUnreadRow)
        /// Insert or replace a user's total.
        case total(UserUnreadTotalRow)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case conversation(userId: String, conversationId: String)
            case total(userId: String)
        }

        public var key: Key {
            switch self {
            case .conversation(let row): .conversation(userId: row.userId, conversationId: row.conversationId)
            case .total(let row): .total(userId: row.userId)
            }
        }
    }

    public static let name = "unread_counts"

    private var threads = IndexedValues<String, ConversationThread>()
    private var totals = IndexedValues<String, Int>()

    /// No conversations, no counts.
    public init() {}

    /// Messages from others `user` has not read in a conversation.
    public func unread(user: String, conversation: String) -> Int {
        self.threads[conversation]?.unread(for: user) ?? 0
    }

    /// Messages `user` has not read across all conversations.
    public func total(user: String) -> Int { self.totals[user] ?? 0 }

    public var snapshot: [Change] {
        zip(self.threads.keys, self.threads.values).flatMap { id, thread in
            thread.participants.map { user in .conversation(ConversationUnreadRow(userId: user, conversationId: id, count: thread.unread(for: user))) }
        } + zip(self.totals.keys, self.totals.values).map { .total(UserUnreadTotalRow(userId: $0, count: $1)) }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            guard self.threads.index(of: started.conversationId) == nil else { return }
            let thread = ConversationThread(started)
            _ = self.threads.append(thread, for: started.conversationId)
            self.count(thread, started.conversationId, for: started.buyerId, totalDelta: 0, into: &changes)
            self.count(thread, started.conversationId, for: started.vendorId, totalDelta: 0, into: &changes)
        case .messageSent(let message):
            guard let index = self.threads.index(of: message.conversationId), self.threads.values[index].add(message) else { return }
            let thread = self.threads.values[index]
            if thread.buyerId != message.senderId { self.count(thread, message.conversationId, for: thread.buyerId, totalDelta: 1, into: &changes) }
            if thread.vendorId != message.senderId { self.count(thread, message.conversationId, for: thread.vendorId, totalDelta: 1, into: &changes) }
        case .messageRead(let read):
            guard let index = self.threads.index(of: read.conversationId) else { return }
            let newlyRead = self.threads.values[index].markRead(by: read.readerId, upTo: read.upToMessageId).fromOthers
            let thread = self.threads.values[index]
            guard newlyRead > 0, thread.counterpart(of: read.readerId) != nil else { return }
            self.count(thread, read.conversationId, for: read.readerId, totalDelta: -newlyRead, into: &changes)
        default:
            return
        }
    }

    /// Adds `totalDelta` to the user's total and appends their conversation and total rows.
    private mutating func count(
        _ thread: ConversationThread, _ conversationId: String, for user: String, totalDelta: Int, into changes: inout [Change]
    ) {
        let index = self.totals.index(of: user) ?? self.totals.append(0, for: user)
        self.totals.values[index] += totalDelta
        let total = self.totals.values[index]
        changes.append(.conversation(ConversationUnreadRow(userId: user, conversationId: conversationId, count: thread.unread(for: user))))
        changes.append(.total(UserUnreadTotalRow(userId: user, count: total)))
    }
}
