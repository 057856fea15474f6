import EventLog

/// The counted messages of one conversation and the first response they make.
///
/// Counted messages are those the buyer or the vendor typed: automated messages are left out when
/// sent, and a message flagged as spam is left out from the flag on (which can move the first
/// response later, or to another buyer message). Withheld messages are left out: a shadow-restricted
/// one for good, a held one until staff release it (it then counts at the time it was sent).
struct FirstResponseTracker: Hashable, Sendable {
    /// The buyer's first counted message and the vendor's first counted reply after it.
    struct FirstResponse: Hashable, Sendable {
        var askedAt: Timestamp
        var answeredAt: Timestamp?
    }

    private struct Message: Hashable, Sendable {
        let id: String
        let fromBuyer: Bool
        let sentAt: Timestamp
    }

    let buyerId: String
    let vendorId: String
    private var messages: [Message] = []
    private var spam: Set<String> = []
    private var held: [String: Message] = [:]
    private(set) var result: FirstResponse?

    init(buyerId: String, vendorId: String) {
        self.buyerId = buyerId
        self.vendorId = vendorId
    }

    /// Takes a message into account; returns true when the first response changed.
    mutating func add(_ message: MessageSent) -> Bool {
        guard !message.automated, message.senderId == self.buyerId || message.senderId == self.vendorId else { return false }
        let counted = Message(id: message.messageId, fromBuyer: message.senderId == self.buyerId, sentAt: message.occurredAt)
        switch message.withheld {
        case .held?:
            self.held[message.messageId] = counted
            return false
        case .shadow?:
            return false
        case nil:
            self.messages.append(counted)
        }
        // A later message can only complete a first response, never change a complete one.
        guard self.result?.answeredAt == nil else { return false }
        return self.recompute()
    }

    /// Counts a held message staff released, in its place by the time it was sent; returns true
    /// when the first response changed.
    mutating func release(_ messageId: String) -> Bool {
        guard let message = self.held.removeValue(forKey: messageId) else { return false }
        let slot = self.messages.firstIndex { $0.sentAt > message.sentAt } ?? self.messages.endIndex
        self.messages.insert(message, at: slot)
        return self.recompute()
    }

    /// Leaves a message flagged as spam out; returns true when the first response changed.
    mutating func flagSpam(_ messageId: String) -> Bool {
        guard self.spam.insert(messageId).inserted else { return false }
        return self.recompute()
    }

    private mutating func recompute() -> Bool {
        var result: FirstResponse?
        for message in self.messages where self.spam.isEmpty || !self.spam.contains(message.id) {
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
