public import EventLog

/// One message as staff search finds it: its text (original, also once redacted), who sent it and when.
public struct MessageSearchRow: Hashable, Sendable {
    /// What identifies a row: the conversation and the message.
    public struct Key: Hashable, Sendable {
        public var conversationId: String
        public var messageId: String
    }

    public var conversationId: String
    public var messageId: String
    public var senderId: String
    public var sentAt: Timestamp
    /// The text, and the attachment's name when there is one.
    public var body: String
    /// Whether staff redacted the message (participants no longer see the text).
    public var redacted: Bool

    public var key: Key { Key(conversationId: self.conversationId, messageId: self.messageId) }
}
