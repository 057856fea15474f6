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

    private var threads: [String: ConversationThread] = [:]
    private var totals: [String: Int] = [:]

    /// No conversations, no counts.
    public init() {}

    /// Messages from others `user` has not read in a conversation.
    public func unread(user: String, conversation: String) -> Int {
        self.threads[conversation]?.unread(for: user) ?? 0
    }

    /// Messages `user` has not read across all conversations.
    public func total(user: String) -> Int { self.totals[user, default: 0] }

    public var snapshot: [Change] {
        self.threads.flatMap { id, thread in
            thread.participants.map { user in .conversation(ConversationUnreadRow(userId: user, conversationId: id, count: thread.unread(for: user))) }
        } + self.totals.map { .total(UserUnreadTotalRow(userId: $0.key, count: $0.value)) }
    }

    public mutating func apply(_ event: ProjectedEvent) -> [Change] {
        switch event.event {
        case .conversationStarted(let started):
            guard self.threads[started.conversationId] == nil else { return [] }
            self.threads[started.conversationId] = ConversationThread(started)
            return self.rows(of: started.conversationId, for: [started.buyerId, started.vendorId], totalDelta: 0)
        case .messageSent(let message):
            guard self.threads[message.conversationId]?.add(message) == true else { return [] }
            let recipients = self.threads[message.conversationId]!.participants.filter { $0 != message.senderId }
            return self.rows(of: message.conversationId, for: recipients, totalDelta: 1)
        case .messageRead(let read):
            guard let newlyRead = self.threads[read.conversationId]?.markRead(by: read.readerId, upTo: read.upToMessageId),
                !newlyRead.isEmpty, self.threads[read.conversationId]!.counterpart(of: read.readerId) != nil
            else { return [] }
            return self.rows(of: read.conversationId, for: [read.readerId], totalDelta: -newlyRead.count)
        default:
            return []
        }
    }

    /// Adds `totalDelta` to each user's total and returns their conversation and total rows.
    private mutating func rows(of conversationId: String, for users: [String], totalDelta: Int) -> [Change] {
        let thread = self.threads[conversationId]!
        return users.flatMap { user -> [Change] in
            self.totals[user, default: 0] += totalDelta
            return [
                .conversation(ConversationUnreadRow(userId: user, conversationId: conversationId, count: thread.unread(for: user))),
                .total(UserUnreadTotalRow(userId: user, count: self.totals[user]!)),
            ]
        }
    }
}
