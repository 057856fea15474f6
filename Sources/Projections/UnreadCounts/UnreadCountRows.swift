/// How many messages from others one participant has not read in one conversation.
public struct ConversationUnreadRow: Hashable, Sendable {
    /// The participant.
    public var userId: String
    /// The conversation.
    public var conversationId: String
    /// Messages from others after the participant's read watermark.
    public var count: Int
}

/// How many unread messages a user has across all conversations: the badge.
public struct UserUnreadTotalRow: Hashable, Sendable {
    /// The user.
    public var userId: String
    /// The sum of the user's ``ConversationUnreadRow/count``s.
    public var count: Int
}
