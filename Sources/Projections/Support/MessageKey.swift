/// What identifies a message: its conversation and its id, which is unique within the conversation.
/// The key of every row kept per message (search, held messages, response messages).
public struct MessageKey: Hashable, Sendable {
    /// The conversation.
    public var conversationId: String
    /// The message, unique in its conversation.
    public var messageId: String

    /// The key of message `messageId` of conversation `conversationId`.
    public init(conversationId: String, messageId: String) {
        self.conversationId = conversationId
        self.messageId = messageId
    }
}
