/// The subject kind of a conversation the message volume counts: what a message needs to be
/// counted under its conversation's kind.
public struct VolumeConversationRow: Hashable, Sendable {
    /// The conversation.
    public var conversationId: String
    /// Its subject kind, as it started.
    public var subjectKind: ConversationSubject.Kind
}
