public import EventLog

/// One conversation in one user's inbox.
public struct InboxRow: Hashable, Sendable {
    /// What identifies a row: the inbox's owner and the conversation.
    public struct Key: Hashable, Sendable {
        /// The user whose inbox holds the row.
        public var ownerId: String
        /// The conversation.
        public var conversationId: String
    }

    /// The user whose inbox holds the row.
    public var ownerId: String
    /// The conversation.
    public var conversationId: String
    /// The other participant.
    public var counterpartId: String
    /// The other participant's role: from their profile if known, else from their side of the conversation.
    public var counterpartRole: UserRole
    /// The other participant's display name, once a profile update has told it.
    public var counterpartName: String?
    /// What the conversation is about: kind, listing or order id, title, price.
    public var subject: ConversationSubject
    /// The order's current state, for conversations about an order whose state is known.
    public var orderState: OrderState?
    /// The start of the last message's text (or its attachment's name when it has no text); nil
    /// before the first message and after staff redacted the last message.
    public var lastMessagePreview: String?
    /// Whether staff redacted the last message.
    public var lastMessageRedacted: Bool
    /// The last message's id.
    public var lastMessageId: String?
    /// When the last message was sent.
    public var lastMessageAt: Timestamp?
    /// Who sent the last message.
    public var lastMessageSenderId: String?
    /// When the conversation last moved (started or got a message): the inbox's sort key.
    public var lastActivityAt: Timestamp
    /// Messages from others the owner has not read.
    public var unreadCount: Int
    /// The last message typed by a person (not automated) came from the counterpart: the owner owes a reply.
    public var awaitingReply: Bool
    /// The owner blocked the counterpart.
    public var blocked: Bool
    /// The counterpart blocked the owner.
    public var blockedByCounterpart: Bool
    /// The owner gets no new-message notifications: they turned `new_message` off on every channel.
    public var muted: Bool

    /// The row's key.
    public var key: Key { Key(ownerId: self.ownerId, conversationId: self.conversationId) }

    /// How many characters of a message's text a preview keeps.
    public static let previewLength = 140
}
