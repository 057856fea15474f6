import EventLog

/// The counted messages of one conversation and the first response they make.
///
/// Counted messages are those the buyer or the vendor typed: automated messages are left out when
/// sent, and a message flagged as spam is left out from the flag on (which can move the first
/// response later, or to another buyer message). Withheld messages are left out: a shadow-restricted
/// one for good, a held one until staff release it (it then counts at the time it was sent).
/// Messages count in the order they were sent (by time, then by arrival); a message id seen
/// before (a retry) counts once.
struct FirstResponseTracker: Hashable, Sendable {
    /// The buyer's first counted message and the vendor's first counted reply after it.
    struct FirstResponse: Hashable, Sendable {
        var askedAt: Timestamp
        var answeredAt: Timestamp?
    }

    let buyerId: String
    let vendorId: String
    /// Counted messages, in the order they were sent.
    private var messages: [ResponseMessageRow] = []
    private var spam: Set<String> = []
    private var held: [String: ResponseMessageRow] = [:]
    /// How many messages the tracker took (counted or held): the next one's arrival number.
    private var arrived = 0
    private(set) var result: FirstResponse?

    init(buyerId: String, vendorId: String) {
        self.buyerId = buyerId
        self.vendorId = vendorId
    }

    /// The tracker as stored: its conversation's row, its messages and the ids flagged as spam.
    init(restoring row: ConversationResponseRow, messages: [ResponseMessageRow], spam: [String]) {
        self.init(buyerId: row.buyerId, vendorId: row.vendorId)
        self.result = row.askedAt.map { FirstResponse(askedAt: $0, answeredAt: row.answeredAt) }
        self.messages = messages.filter { !$0.held }.sorted(by: Self.sentBefore)
        self.held = Dictionary(uniqueKeysWithValues: messages.filter(\.held).map { ($0.messageId, $0) })
        self.arrived = (messages.map(\.arrival).max() ?? -1) + 1
        self.spam = Set(spam)
    }

    /// Every message the tracker took, as stored.
    var storedMessages: [ResponseMessageRow] { self.messages + self.held.values.sorted { $0.arrival < $1.arrival } }

    /// The ids flagged as spam, as stored.
    var storedSpam: Set<String> { self.spam }

    /// Takes a message into account; returns the message as stored when the tracker took it (a
    /// counted or held message of the buyer or the vendor), and whether the first response changed.
    mutating func add(_ message: MessageSent) -> (taken: ResponseMessageRow?, changed: Bool) {
        guard !message.automated, message.senderId == self.buyerId || message.senderId == self.vendorId, message.withheld != .shadow,
            self.held[message.messageId] == nil, !self.messages.contains(where: { $0.messageId == message.messageId })
        else { return (nil, false) }
        var taken = ResponseMessageRow(
            conversationId: message.conversationId, messageId: message.messageId, arrival: self.arrived,
            fromBuyer: message.senderId == self.buyerId, sentAt: message.occurredAt, held: false)
        self.arrived += 1
        if message.withheld == .held {
            taken.held = true
            self.held[message.messageId] = taken
            return (taken, false)
        }
        let slot = self.insert(taken)
        // A later message can only complete a first response, never change a complete one.
        guard slot < self.messages.count - 1 || self.result?.answeredAt == nil else { return (taken, false) }
        return (taken, self.recompute())
    }

    /// Counts a held message staff released, in its place by the time it was sent; returns the
    /// message as stored now, if it was held, and whether the first response changed.
    mutating func release(_ messageId: String) -> (released: ResponseMessageRow?, changed: Bool) {
        guard var message = self.held.removeValue(forKey: messageId) else { return (nil, false) }
        message.held = false
        self.insert(message)
        return (message, self.recompute())
    }

    /// Leaves a message flagged as spam out; returns whether the flag is new, and whether the
    /// first response changed.
    mutating func flagSpam(_ messageId: String) -> (new: Bool, changed: Bool) {
        guard self.spam.insert(messageId).inserted else { return (false, false) }
        return (true, self.recompute())
    }

    @discardableResult
    private mutating func insert(_ message: ResponseMessageRow) -> Int {
        let slot = self.messages.lastIndex { !Self.sentBefore(message, $0) }.map { $0 + 1 } ?? 0
        self.messages.insert(message, at: slot)
        return slot
    }

    private static func sentBefore(_ a: ResponseMessageRow, _ b: ResponseMessageRow) -> Bool {
        (a.sentAt, a.arrival) < (b.sentAt, b.arrival)
    }

    private mutating func recompute() -> Bool {
        var result: FirstResponse?
        for message in self.messages where self.spam.isEmpty || !self.spam.contains(message.messageId) {
            if result == nil {
                if message.fromBuyer { result = FirstResponse(askedAt: message.sentAt) }
            } else if !message.fromBuyer {
                result?.answeredAt = message.sentAt
                break
            }
        }
        guard result != self.result else { return false }
        self.result = result
        return true
    }
}
