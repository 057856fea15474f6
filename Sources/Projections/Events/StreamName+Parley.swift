public import EventLog

extension StreamName {
    /// The stream of a conversation: `conversation-<id>`.
    /// - Throws: ``EventLogError`` `.invalidStreamName` when the id is not 1 to 200 printable ASCII bytes without spaces.
    public static func conversation(_ id: String) throws(EventLogError) -> StreamName {
        try StreamName(category: "conversation", id: id)
    }

    /// The stream of an order: `order-<id>`.
    /// - Throws: ``EventLogError`` `.invalidStreamName` when the id is not 1 to 200 printable ASCII bytes without spaces.
    public static func order(_ id: String) throws(EventLogError) -> StreamName {
        try StreamName(category: "order", id: id)
    }

    /// The stream of a user (profile, preferences, blocks, a vendor's templates and listings): `user-<id>`.
    /// - Throws: ``EventLogError`` `.invalidStreamName` when the id is not 1 to 200 printable ASCII bytes without spaces.
    public static func user(_ id: String) throws(EventLogError) -> StreamName {
        try StreamName(category: "user", id: id)
    }
}

extension DomainEvent {
    /// The stream this event belongs in: its conversation's, its order's, or its user's.
    /// - Throws: ``EventLogError`` `.invalidStreamName` when the id in the payload cannot name a stream.
    public func stream() throws(EventLogError) -> StreamName {
        switch self {
        case .conversationStarted(let e): try .conversation(e.conversationId)
        case .messageSent(let e): try .conversation(e.conversationId)
        case .messageDelivered(let e): try .conversation(e.conversationId)
        case .messageRead(let e): try .conversation(e.conversationId)
        case .messageFlagged(let e): try .conversation(e.conversationId)
        case .messageModerated(let e): try .conversation(e.conversationId)
        case .flagReviewed(let e): try .conversation(e.conversationId)
        case .messageRedacted(let e): try .conversation(e.conversationId)
        case .staffViewedConversation(let e): try .conversation(e.conversationId)
        case .orderStateChanged(let e): try .order(e.orderId)
        case .userBlocked(let e): try .user(e.blockerId)
        case .userUnblocked(let e): try .user(e.blockerId)
        case .notificationPreferenceChanged(let e): try .user(e.userId)
        case .quietHoursChanged(let e): try .user(e.userId)
        case .userProfileUpdated(let e): try .user(e.userId)
        case .listingUpdated(let e): try .user(e.vendorId)
        case .replyTemplateSaved(let e): try .user(e.vendorId)
        case .replyTemplateDeleted(let e): try .user(e.vendorId)
        case .standingChanged(let e): try .user(e.userId)
        }
    }
}
