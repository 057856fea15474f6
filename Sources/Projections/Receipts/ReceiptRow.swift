public import EventLog

/// When one message reached and was read by one recipient.
public struct ReceiptRow: Hashable, Sendable {
    /// What identifies a receipt: the message and the recipient.
    public struct Key: Hashable, Sendable {
        /// The conversation; message ids are unique within it.
        public var conversationId: String
        /// The message.
        public var messageId: String
        /// The recipient.
        public var recipientId: String
    }

    /// The conversation.
    public var conversationId: String
    /// The message.
    public var messageId: String
    /// Who sent it.
    public var senderId: String
    /// The participant it was sent to.
    public var recipientId: String
    /// When it was sent.
    public var sentAt: Timestamp
    /// When the recipient's device received it: the first delivery or read watermark that covered it.
    public var deliveredAt: Timestamp?
    /// When the recipient read it: the first read watermark that covered it.
    public var readAt: Timestamp?

    /// The row's key.
    public var key: Key { Key(conversationId: self.conversationId, messageId: self.messageId, recipientId: self.recipientId) }
}
