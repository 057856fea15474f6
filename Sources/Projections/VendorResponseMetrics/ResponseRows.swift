public import EventLog

/// How fast the vendor first answered the buyer in one conversation.
public struct ConversationResponseRow: Hashable, Sendable {
    /// The conversation.
    public var conversationId: String
    /// The buyer.
    public var buyerId: String
    /// The vendor.
    public var vendorId: String
    /// When the buyer's first counted message was sent; nil while there is none.
    public var askedAt: Timestamp?
    /// When the vendor's first counted reply after it was sent; nil while unanswered.
    public var answeredAt: Timestamp?

    /// `answeredAt - askedAt` in seconds, when answered.
    public var responseSeconds: Double? {
        guard let askedAt = self.askedAt, let answeredAt = self.answeredAt else { return nil }
        return Double(answeredAt.microseconds - askedAt.microseconds) / 1_000_000
    }
}

/// One vendor's response figures for the conversations whose first counted buyer message fell on one UTC day.
public struct VendorDayMetricsRow: Hashable, Sendable {
    /// What identifies a row: the vendor and the day.
    public struct Key: Hashable, Sendable {
        /// The vendor.
        public var vendorId: String
        /// The UTC day of the buyers' first counted messages.
        public var day: UTCDay
    }

    /// The vendor.
    public var vendorId: String
    /// The UTC day of the buyers' first counted messages.
    public var day: UTCDay
    /// Conversations whose first counted buyer message fell on the day, answered or not.
    public var conversations: Int
    /// Of those, the ones the vendor has answered (whenever the answer came).
    public var answered: Int
    /// Of those, the ones answered within one hour (response time ≤ 3,600 s).
    public var answeredWithin1h: Int
    /// Of those, the ones answered within 24 hours (response time ≤ 86,400 s).
    public var answeredWithin24h: Int
    /// The median response time of the answered conversations in seconds (the mean of the middle
    /// two for an even count); nil when none is answered.
    public var medianResponseSeconds: Double?
    /// The mean response time of the answered conversations in seconds; nil when none is answered.
    public var meanResponseSeconds: Double?

    /// The share of the day's conversations answered within one hour, 0 to 1 (0 with no conversations).
    public var shareWithin1h: Double { self.share(self.answeredWithin1h) }
    /// The share of the day's conversations answered within 24 hours, 0 to 1 (0 with no conversations).
    public var shareWithin24h: Double { self.share(self.answeredWithin24h) }

    /// The row's key.
    public var key: Key { Key(vendorId: self.vendorId, day: self.day) }

    private func share(_ count: Int) -> Double {
        self.conversations == 0 ? 0 : Double(count) / Double(self.conversations)
    }
}

/// A message a conversation's first response is kept from: typed by the buyer or the vendor, and
/// counted, or held for review until staff release it.
public struct ResponseMessageRow: Hashable, Sendable {
    /// What identifies a row: the conversation and the message.
    public typealias Key = MessageKey

    /// The conversation.
    public var conversationId: String
    /// The message.
    public var messageId: String
    /// Its place among the conversation's messages kept here, in the order they arrived: what
    /// orders messages sent at the same time.
    public var arrival: Int
    /// Whether the buyer sent it (else the vendor).
    public var fromBuyer: Bool
    /// When it was sent.
    public var sentAt: Timestamp
    /// Whether it waits for review (and does not count until released).
    public var held: Bool

    /// The row's key.
    public var key: Key { Key(conversationId: self.conversationId, messageId: self.messageId) }
}
