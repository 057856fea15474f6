public import EventLog

// What the inbox keeps beside its rows so that a page restored from stored rows applies as a
// replay would: what a new conversation's rows are made of (profiles, order states, blocks,
// silenced channels), and the messages held for review that a release shows.

/// A user's name and role as their counterparts' inbox rows show them.
public struct InboxProfileRow: Hashable, Sendable {
    /// The user.
    public var userId: String
    /// The name shown.
    public var displayName: String
    /// The role shown.
    public var role: UserRole
}

/// An order's latest state, as the rows of conversations about it show it.
public struct InboxOrderRow: Hashable, Sendable {
    /// The order.
    public var orderId: String
    /// Its latest state.
    public var state: OrderState
}

/// Whether one user blocks another (a row stays, inactive, once the block is lifted).
public struct InboxBlockRow: Hashable, Sendable {
    /// What identifies a block: who blocks whom.
    public struct Key: Hashable, Sendable {
        /// Who blocks.
        public var blockerId: String
        /// Who is blocked.
        public var blockedId: String
    }

    /// Who blocks.
    public var blockerId: String
    /// Who is blocked.
    public var blockedId: String
    /// Whether the block holds now.
    public var active: Bool

    /// The row's key.
    public var key: Key { Key(blockerId: self.blockerId, blockedId: self.blockedId) }
}

/// The channels on which a user turned new-message notifications off (all of them: muted).
public struct InboxSilenceRow: Hashable, Sendable {
    /// The user.
    public var userId: String
    /// The channels turned off.
    public var channels: Set<NotificationChannel>
}

/// A message held for review, as the recipient's row shows it once staff release it; a review
/// closes it whatever the decision (only a dismissal releases it).
public struct HeldMessageRow: Hashable, Sendable {
    /// What identifies a row: the conversation and the message.
    public typealias Key = MessageKey

    /// The conversation.
    public var conversationId: String
    /// The message.
    public var messageId: String
    /// Who sent it.
    public var senderId: String
    /// When it was sent.
    public var sentAt: Timestamp
    /// Its preview in an inbox row.
    public var preview: String
    /// Whether the platform sent it.
    public var automated: Bool
    /// Whether it still waits for a review.
    public var open: Bool

    /// The row's key.
    public var key: Key { Key(conversationId: self.conversationId, messageId: self.messageId) }
}
