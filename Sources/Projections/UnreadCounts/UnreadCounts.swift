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
            let index = self.threads.append(ConversationThread(started), for: started.conversationId)
            self.count(index, for: started.buyerId, totalDelta: 0, into: &changes)
            self.count(index, for: started.vendorId, totalDelta: 0, into: &changes)
        case .messageSent(let message):
            guard let index = self.threads.index(of: message.conversationId), self.threads.values[index].add(message),
                message.withheld == nil
            else { return }
            let (buyer, vendor) = (self.threads.values[index].buyerId, self.threads.values[index].vendorId)
            if buyer != message.senderId { self.count(index, for: buyer, totalDelta: 1, into: &changes) }
            if vendor != message.senderId { self.count(index, for: vendor, totalDelta: 1, into: &changes) }
        case .messageRead(let read):
            guard let index = self.threads.index(of: read.conversationId) else { return }
            let newlyRead = self.threads.values[index].markRead(by: read.readerId, upTo: read.upToMessageId).fromOthers
            guard newlyRead > 0, self.threads.values[index].counterpart(of: read.readerId) != nil else { return }
            self.count(index, for: read.readerId, totalDelta: -newlyRead, into: &changes)
        case .flagReviewed(let review) where review.decision == .dismiss:
            // Dismissing the review of a held message releases it to the recipient.
            guard let index = self.threads.index(of: review.conversationId) else { return }
            let participants = self.threads.values[index].participants
            let before = participants.map { self.threads.values[index].unread(for: $0) }
            guard self.threads.values[index].release(review.messageId) else { return }
            for (user, old) in zip(participants, before) where self.threads.values[index].unread(for: user) != old {
                self.count(index, for: user, totalDelta: self.threads.values[index].unread(for: user) - old, into: &changes)
            }
        default:
            return
        }
    }

    /// Adds `totalDelta` to the user's total and appends their rows for the conversation at `index` and their total.
    private mutating func count(_ index: Int, for user: String, totalDelta: Int, into changes: inout [Change]) {
        let slot = self.totals.index(of: user) ?? self.totals.append(0, for: user)
        self.totals.values[slot] += totalDelta
        let total = self.totals.values[slot]
        let count = self.threads.values[index].unread(for: user)
        changes.append(.conversation(ConversationUnreadRow(userId: user, conversationId: self.threads.keys[index], count: count)))
        changes.append(.total(UserUnreadTotalRow(userId: user, count: total)))
    }
}
