public import EventLog

/// One message in the staff review queue: every detection and user flag about it, grouped.
public struct ReviewItemRow: Hashable, Sendable {
    /// What identifies a row: the conversation and the message.
    public struct Key: Hashable, Sendable {
        /// The conversation.
        public var conversationId: String
        /// The message, unique in its conversation.
        public var messageId: String
    }

    /// Where an item is in review.
    public enum Status: String, Hashable, Sendable, CaseIterable, JSONStringEnum {
        /// Waiting for staff.
        case open
        /// Staff found nothing wrong.
        case dismissed
        /// Staff redacted the message.
        case redacted
        /// Staff warned the sender.
        case warned
        /// Staff shadow-restricted the sender.
        case restricted
        /// Staff suspended the sender.
        case suspended
        /// Staff restored the sender to good standing.
        case restored
    }

    /// The conversation.
    public var conversationId: String
    /// The message.
    public var messageId: String
    /// Who sent it, when a detection named them (user flags do not; readers join the message).
    public var senderId: String?
    /// Where the item is in review.
    public var status: Status
    /// What moderation did to the message (`flag`, `mask`, `bounce`), when a detector raised the item.
    public var moderationAction: String?
    /// The classes detectors found, comma-separated in `ContactClass` order (empty for user flags only).
    public var classes: String
    /// The rule of the first match, when a detector raised the item.
    public var rule: String?
    /// The highest detector confidence; 0 when only users flagged it.
    public var score: Double
    /// How many distinct users flagged it.
    public var reporters: Int
    /// Who flagged it, in the order they first did: what the count is of (stored, so the queue
    /// resumes from its rows).
    public var reporterIds: [String] = []
    /// The reasons users gave, comma-separated in the order first given.
    public var reasons: String
    /// The text as written, when the message was not stored as written (masked or bounced).
    public var originalText: String?
    /// When the first detection or flag happened (domain time).
    public var firstAt: Timestamp
    /// When the last detection, flag or decision happened (domain time): the queue's order.
    public var lastAt: Timestamp
    /// The staff member who decided last, if any.
    public var decidedBy: String?
    /// Their statement of reasons.
    public var decisionReason: String?

    /// The row's key.
    public var key: Key { Key(conversationId: self.conversationId, messageId: self.messageId) }
}
