public import EventLog

/// One message as staff search finds it: its text (original, also once redacted), who sent it and when.
public struct MessageSearchRow: Hashable, Sendable {
    /// What identifies a row: the conversation and the message.
    public typealias Key = MessageKey

    /// The conversation.
    public var conversationId: String
    /// The message, unique in its conversation.
    public var messageId: String
    /// Who sent it.
    public var senderId: String
    /// When it was sent (domain time).
    public var sentAt: Timestamp
    /// The text, and the attachment's name when there is one.
    public var body: String
    /// Whether staff redacted the message (participants no longer see the text).
    public var redacted: Bool
    /// The text's near-duplicate fingerprint (``Fingerprint``, as its bit pattern), nil when the
    /// text has no words: what spam checks compare a new message with.
    public var fingerprint: Int64?

    /// The row's key.
    public var key: Key { Key(conversationId: self.conversationId, messageId: self.messageId) }
}
