import EventLog

/// The messages of one conversation in log order, how far each user has received and read them,
/// and how many each participant has not read: the bookkeeping that inbox, unread counts and
/// receipts share.
///
/// A thread built from the log has every message at hand. A thread restored from its stored rows
/// has only those its page needs (``ThreadSelector``): the messages the page names, and those its
/// watermark moves pass over, so a page costs what it touches, not the conversation's length.
///
/// Watermarks only move forward; a watermark naming an unknown message changes nothing. Only the
/// buyer and the vendor have watermarks and unread counts. A withheld message (held for review,
/// or shadow-restricted) is in the thread but counts as unread for nobody until it is released.
struct ConversationThread: Hashable, Sendable {
    /// A message as the thread keeps it.
    struct Message: Hashable, Sendable {
        let id: String
        let senderId: String
        let sentAt: Timestamp
        /// Why the recipient does not have it, if they do not.
        var withheld: Withholding?
    }

    /// How far one participant has received and read the thread, and what they have not read.
    private struct Progress: Hashable, Sendable {
        /// How many messages from the start the delivery watermark covers.
        var delivered = 0
        /// How many messages from the start the read watermark covers.
        var read = 0
        /// Messages from others after the read watermark.
        var unread = 0
    }

    let buyerId: String
    let vendorId: String
    /// How many messages the thread holds, stored or not.
    private(set) var count = 0
    /// The messages at hand, by their place in the thread: every message of a thread built from
    /// the log; of a restored thread, only those its page needs (see ``ThreadSelector``).
    private var messages: [Int: Message] = [:]
    /// The places of the messages at hand, by id.
    private var indexById: [String: Int] = [:]
    private var buyer = Progress()
    private var vendor = Progress()

    init(buyerId: String, vendorId: String) {
        self.buyerId = buyerId
        self.vendorId = vendorId
    }

    init(_ started: ConversationStarted) {
        self.init(buyerId: started.buyerId, vendorId: started.vendorId)
    }

    /// The buyer and the vendor.
    var participants: [String] { [self.buyerId, self.vendorId] }

    /// The other participant, or nil when `user` takes no part.
    func counterpart(of user: String) -> String? {
        user == self.buyerId ? self.vendorId : user == self.vendorId ? self.buyerId : nil
    }

    /// Messages from others that `user` has not read; 0 for users who take no part.
    func unread(for user: String) -> Int {
        user == self.buyerId ? self.buyer.unread : user == self.vendorId ? self.vendor.unread : 0
    }

    /// The places of the messages at hand, in thread order.
    var indicesAtHand: [Int] { self.messages.keys.sorted() }

    /// The thread as stored (``ThreadRow``) with those of its messages (``ThreadMessageRow``) a
    /// page needs: a projection that resumes from its rows restores the threads a page touches
    /// from them. The messages must include every one the page's events name and those its
    /// watermark moves cover (``ThreadSelector``).
    init(restoring row: ThreadRow, messages: [ThreadMessageRow]) {
        self.init(buyerId: row.buyerId, vendorId: row.vendorId)
        self.count = row.messageCount
        for message in messages {
            self.messages[message.seq] = Message(id: message.messageId, senderId: message.senderId, sentAt: message.sentAt, withheld: message.withheld)
            self.indexById[message.messageId] = message.seq
        }
        self.buyer = Progress(delivered: row.buyerDelivered, read: row.buyerRead, unread: row.buyerUnread)
        self.vendor = Progress(delivered: row.vendorDelivered, read: row.vendorRead, unread: row.vendorUnread)
    }

    /// The stored row of the thread of `conversationId`.
    func row(_ conversationId: String) -> ThreadRow {
        ThreadRow(
            conversationId: conversationId, buyerId: self.buyerId, vendorId: self.vendorId, messageCount: self.count,
            buyerDelivered: self.buyer.delivered, buyerRead: self.buyer.read, buyerUnread: self.buyer.unread,
            vendorDelivered: self.vendor.delivered, vendorRead: self.vendor.read, vendorUnread: self.vendor.unread)
    }

    /// The stored row of the message at `index` (which must be at hand) of the thread of `conversationId`.
    func messageRow(_ conversationId: String, at index: Int) -> ThreadMessageRow {
        let message = self.message(at: index)
        return ThreadMessageRow(
            conversationId: conversationId, seq: index, messageId: message.id, senderId: message.senderId, sentAt: message.sentAt,
            withheld: message.withheld)
    }

    /// The stored row of the newest message of the thread of `conversationId` (the one just added).
    func newestMessageRow(_ conversationId: String) -> ThreadMessageRow {
        self.messageRow(conversationId, at: self.count - 1)
    }

    /// The thread's row and the rows of the messages at hand: what a rebuild writes.
    func rows(_ conversationId: String) -> (thread: ThreadRow, messages: [ThreadMessageRow]) {
        (self.row(conversationId), self.indicesAtHand.map { self.messageRow(conversationId, at: $0) })
    }

    /// The message at `index`, which must be at hand: a restored thread has the messages its
    /// page's rows brought (see ``ThreadSelector``).
    func message(at index: Int) -> Message {
        guard let message = self.messages[index] else {
            preconditionFailure("message \(index) of a thread of \(self.count) is not at hand: the page's thread selectors missed it")
        }
        return message
    }

    /// Adds a message; returns false (and changes nothing) when its id is already in the thread.
    mutating func add(_ message: MessageSent) -> Bool {
        guard self.index(of: message.messageId) == nil else { return false }
        self.append(Message(id: message.messageId, senderId: message.senderId, sentAt: message.occurredAt, withheld: message.withheld))
        guard message.withheld == nil else { return true }
        if message.senderId != self.buyerId { self.buyer.unread += 1 }
        if message.senderId != self.vendorId { self.vendor.unread += 1 }
        return true
    }

    private mutating func append(_ message: Message) {
        self.messages[self.count] = message
        self.indexById[message.id] = self.count
        self.count += 1
    }

    /// Releases a message held for review to its recipients: it counts as unread for those whose
    /// read watermark has not passed it. Returns false (and changes nothing) for a message the
    /// thread does not hold or that is not held (a shadow-restricted message is never released).
    mutating func release(_ messageId: String) -> Bool {
        guard let index = self.index(of: messageId), self.messages[index]?.withheld == .held else { return false }
        self.messages[index]?.withheld = nil
        let sender = self.message(at: index).senderId
        if sender != self.buyerId && index >= self.buyer.read { self.buyer.unread += 1 }
        if sender != self.vendorId && index >= self.vendor.read { self.vendor.unread += 1 }
        return true
    }

    /// Whether the thread holds the message and keeps it from its recipient.
    func isWithheld(_ messageId: String) -> Bool {
        self.index(of: messageId).map { self.message(at: $0).withheld != nil } ?? false
    }

    /// The messages a watermark newly covered: their places in the thread, and how many of
    /// them came from others than the participant who moved it.
    struct Covered: Hashable, Sendable {
        static let none = Covered(range: 0..<0, fromOthers: 0)
        let range: Range<Int>
        let fromOthers: Int
    }

    /// The place of a message in the thread, if the thread holds it (a restored thread answers
    /// for the messages at hand, which include every message its page names).
    func index(of messageId: String) -> Int? { self.indexById[messageId] }

    /// Moves a participant's read watermark up to the message `upTo`; returns the messages it newly
    /// covers. Users who take no part have no watermarks: nothing changes for them.
    mutating func markRead(by reader: String, upTo messageId: String) -> Covered {
        self.advance(reader, upTo: messageId, \.read, countsUnread: true)
    }

    /// Moves a participant's delivery watermark up to the message `upTo`; returns the messages it
    /// newly covers. Users who take no part have no watermarks: nothing changes for them.
    mutating func markDelivered(to recipient: String, upTo messageId: String) -> Covered {
        self.advance(recipient, upTo: messageId, \.delivered, countsUnread: false)
    }

    private mutating func advance(
        _ user: String, upTo messageId: String, _ mark: WritableKeyPath<Progress, Int>, countsUnread: Bool
    ) -> Covered {
        let isBuyer = user == self.buyerId
        guard isBuyer || user == self.vendorId, let index = self.index(of: messageId) else { return .none }
        var progress = isBuyer ? self.buyer : self.vendor
        let old = progress[keyPath: mark]
        guard index + 1 > old else { return .none }
        progress[keyPath: mark] = index + 1
        var fromOthers = 0
        for place in old...index {
            let message = self.message(at: place)
            if message.senderId != user && message.withheld == nil { fromOthers += 1 }
        }
        if countsUnread { progress.unread -= fromOthers }
        if isBuyer { self.buyer = progress } else { self.vendor = progress }
        return Covered(range: old..<index + 1, fromOthers: fromOthers)
    }
}
