import EventLog

/// The messages of one conversation in log order, how far each user has received and read them,
/// and how many each participant has not read: the bookkeeping that inbox, unread counts and
/// receipts share.
///
/// Watermarks only move forward; a watermark naming an unknown message changes nothing.
struct ConversationThread: Hashable, Sendable {
    /// A message as the thread keeps it.
    struct Message: Hashable, Sendable {
        let id: String
        let senderId: String
        let sentAt: Timestamp
    }

    let buyerId: String
    let vendorId: String
    private(set) var messages: [Message] = []
    private var indexById: [String: Int] = [:]
    /// For each user, how many messages from the start their read watermark covers.
    private var readCounts: [String: Int] = [:]
    /// For each user, how many messages from the start their delivery watermark covers.
    private var deliveredCounts: [String: Int] = [:]
    /// Messages from others after each participant's read watermark.
    private var unreadCounts: [String: Int] = [:]

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

    /// Messages from others that `user` has not read.
    func unread(for user: String) -> Int { self.unreadCounts[user, default: 0] }

    /// Adds a message; returns false (and changes nothing) when its id is already in the thread.
    mutating func add(_ message: MessageSent) -> Bool {
        guard self.indexById[message.messageId] == nil else { return false }
        self.indexById[message.messageId] = self.messages.count
        self.messages.append(Message(id: message.messageId, senderId: message.senderId, sentAt: message.occurredAt))
        for participant in self.participants where participant != message.senderId {
            self.unreadCounts[participant, default: 0] += 1
        }
        return true
    }

    /// Moves `reader`'s read watermark up to the message `upTo`; returns the messages from others it newly covers.
    mutating func markRead(by reader: String, upTo messageId: String) -> [Message] {
        let newlyRead = Self.advance(&self.readCounts, user: reader, upTo: messageId, in: self)
        if self.participants.contains(reader) { self.unreadCounts[reader, default: 0] -= newlyRead.count }
        return newlyRead
    }

    /// Moves `recipient`'s delivery watermark up to the message `upTo`; returns the messages from others it newly covers.
    mutating func markDelivered(to recipient: String, upTo messageId: String) -> [Message] {
        Self.advance(&self.deliveredCounts, user: recipient, upTo: messageId, in: self)
    }

    private static func advance(
        _ counts: inout [String: Int], user: String, upTo messageId: String, in thread: ConversationThread
    ) -> [Message] {
        guard let index = thread.indexById[messageId] else { return [] }
        let old = counts[user, default: 0]
        guard index + 1 > old else { return [] }
        counts[user] = index + 1
        return thread.messages[old...index].filter { $0.senderId != user }
    }
}
