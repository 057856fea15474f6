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
        /// Insert or replace a conversation's thread (what the counts are kept from).
        case thread(ThreadRow)
        /// Insert or replace a message of a conversation's thread.
        case threadMessage(ThreadMessageRow)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case conversation(userId: String, conversationId: String)
            case total(userId: String)
            case thread(conversationId: String)
            case threadMessage(ThreadMessageRow.Key)
        }

        public var key: Key {
            switch self {
            case .conversation(let row): .conversation(userId: row.userId, conversationId: row.conversationId)
            case .total(let row): .total(userId: row.userId)
            case .thread(let row): .thread(conversationId: row.conversationId)
            case .threadMessage(let row): .threadMessage(row.key)
            }
        }
    }

    /// The stored rows an event needs.
    public enum RowSelector: Hashable, Sendable {
        /// A conversation's thread with the messages it needs (the per-participant counts are
        /// kept in it), and its participants' totals.
        case thread(ThreadSelector)
        /// A user's total.
        case total(String)
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

    /// Counts that hold these stored threads, with their messages, and these totals (the
    /// per-conversation counts are kept in the threads).
    public init(restoring rows: [Change]) {
        var messages: [String: [ThreadMessageRow]] = [:]
        for case .threadMessage(let row) in rows { messages[row.conversationId, default: []].append(row) }
        for row in rows {
            switch row {
            case .thread(let thread) where self.threads.index(of: thread.conversationId) == nil:
                _ = self.threads.append(
                    ConversationThread(restoring: thread, messages: messages[thread.conversationId] ?? []), for: thread.conversationId)
            case .total(let total) where self.totals.index(of: total.userId) == nil:
                _ = self.totals.append(total.count, for: total.userId)
            default:
                break
            }
        }
    }

    public var snapshot: [Change] {
        zip(self.threads.keys, self.threads.values).flatMap { id, thread in
            let (row, messages) = thread.rows(id)
            return thread.participants.map { user in .conversation(ConversationUnreadRow(userId: user, conversationId: id, count: thread.unread(for: user))) }
                + [.thread(row)] + messages.map(Change.threadMessage)
        } + zip(self.totals.keys, self.totals.values).map { .total(UserUnreadTotalRow(userId: $0, count: $1)) }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        switch event.event {
        case .conversationStarted(let e): [.thread(.thread(e.conversationId)), .total(e.buyerId), .total(e.vendorId)]
        case .messageSent(let e): [.thread(.message(MessageKey(conversationId: e.conversationId, messageId: e.messageId)))]
        case .messageRead(let e):
            [.thread(.watermark(.init(conversationId: e.conversationId, userId: e.readerId, upTo: e.upToMessageId, mark: .read)))]
        case .flagReviewed(let e) where e.decision == .dismiss:
            [.thread(.message(MessageKey(conversationId: e.conversationId, messageId: e.messageId)))]
        default: []
        }
    }

    public static func selects(_ selector: RowSelector, _ row: Change) -> Bool {
        switch (selector, row) {
        case (.thread(let thread), .conversation(let row)): row.conversationId == thread.conversationId
        case (.thread(let thread), .thread(let row)): row.conversationId == thread.conversationId
        case (.thread(let thread), .threadMessage(let row)): row.conversationId == thread.conversationId
        case (.total(let user), .total(let row)): row.userId == user
        default: false
        }
    }

    /// The rows `selectors` select: of a thread's messages only those its page needs
    /// (``ThreadSelector``), and the totals of the participants of the threads selected (a message
    /// changes its recipient's total, whom the event does not name).
    public static func select(_ selectors: Set<RowSelector>, from rows: [Change]) -> [Change] {
        var selected = Set(selectors)
        let threadSelectors = Set(selectors.compactMap { if case .thread(let thread) = $0 { thread } else { nil } })
        let conversations = Set(threadSelectors.map(\.conversationId))
        for case .thread(let row) in rows where conversations.contains(row.conversationId) {
            selected.insert(.total(row.buyerId))
            selected.insert(.total(row.vendorId))
        }
        let messages = ThreadSelector.select(threadSelectors, from: rows)
        return rows.filter { row in
            if case .threadMessage(let message) = row { return messages.contains(message.key) }
            return selected.contains { Self.selects($0, row) }
        }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            guard self.threads.index(of: started.conversationId) == nil else { return }
            let index = self.threads.append(ConversationThread(started), for: started.conversationId)
            changes.append(.thread(self.threads.values[index].row(started.conversationId)))
            self.count(index, for: started.buyerId, totalDelta: 0, into: &changes)
            self.count(index, for: started.vendorId, totalDelta: 0, into: &changes)
        case .messageSent(let message):
            guard let index = self.threads.index(of: message.conversationId), self.threads.values[index].add(message) else { return }
            let thread = self.threads.values[index]
            changes.append(.thread(thread.row(message.conversationId)))
            changes.append(.threadMessage(thread.newestMessageRow(message.conversationId)))
            guard message.withheld == nil else { return }
            let (buyer, vendor) = (self.threads.values[index].buyerId, self.threads.values[index].vendorId)
            if buyer != message.senderId { self.count(index, for: buyer, totalDelta: 1, into: &changes) }
            if vendor != message.senderId { self.count(index, for: vendor, totalDelta: 1, into: &changes) }
        case .messageRead(let read):
            guard let index = self.threads.index(of: read.conversationId) else { return }
            let covered = self.threads.values[index].markRead(by: read.readerId, upTo: read.upToMessageId)
            if !covered.range.isEmpty { changes.append(.thread(self.threads.values[index].row(read.conversationId))) }
            let newlyRead = covered.fromOthers
            guard newlyRead > 0, self.threads.values[index].counterpart(of: read.readerId) != nil else { return }
            self.count(index, for: read.readerId, totalDelta: -newlyRead, into: &changes)
        case .flagReviewed(let review) where review.decision == .dismiss:
            // Dismissing the review of a held message releases it to the recipient.
            guard let index = self.threads.index(of: review.conversationId) else { return }
            let participants = self.threads.values[index].participants
            let before = participants.map { self.threads.values[index].unread(for: $0) }
            guard self.threads.values[index].release(review.messageId), let released = self.threads.values[index].index(of: review.messageId)
            else { return }
            changes.append(.thread(self.threads.values[index].row(review.conversationId)))
            changes.append(.threadMessage(self.threads.values[index].messageRow(review.conversationId, at: released)))
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

extension UnreadCounts.Change: ThreadKeepingChange {
    var threadRow: ThreadRow? { if case .thread(let row) = self { row } else { nil } }
    var threadMessageRow: ThreadMessageRow? { if case .threadMessage(let row) = self { row } else { nil } }
}
