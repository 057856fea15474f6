public import EventLog

/// A conversation's thread as a projection stores it beside its own rows: who takes part, how
/// many messages the thread holds, and how far each participant has received and read it. With
/// the thread's ``ThreadMessageRow``s it restores the bookkeeping a projection applies the next
/// page to, without a replay.
public struct ThreadRow: Hashable, Sendable {
    /// The conversation.
    public var conversationId: String
    /// The buyer.
    public var buyerId: String
    /// The vendor.
    public var vendorId: String
    /// How many messages the thread holds.
    public var messageCount: Int
    /// How many messages from the start the buyer's delivery watermark covers.
    public var buyerDelivered: Int
    /// How many messages from the start the buyer's read watermark covers.
    public var buyerRead: Int
    /// Messages from others after the buyer's read watermark.
    public var buyerUnread: Int
    /// How many messages from the start the vendor's delivery watermark covers.
    public var vendorDelivered: Int
    /// How many messages from the start the vendor's read watermark covers.
    public var vendorRead: Int
    /// Messages from others after the vendor's read watermark.
    public var vendorUnread: Int
}

/// One message of a stored thread (see ``ThreadRow``), by its place in the thread.
public struct ThreadMessageRow: Hashable, Sendable {
    /// What identifies a thread's message: the conversation and the message's place in it.
    public struct Key: Hashable, Sendable {
        /// The conversation.
        public var conversationId: String
        /// The message's place in the thread, from 0.
        public var seq: Int
    }

    /// The conversation.
    public var conversationId: String
    /// The message's place in the thread, from 0.
    public var seq: Int
    /// The message.
    public var messageId: String
    /// Who sent it.
    public var senderId: String
    /// When it was sent.
    public var sentAt: Timestamp
    /// Why its recipient does not have it, if they do not.
    public var withheld: Withholding?

    /// The row's key.
    public var key: Key { Key(conversationId: self.conversationId, seq: self.seq) }

    /// The message's key.
    public var messageKey: MessageKey { MessageKey(conversationId: self.conversationId, messageId: self.messageId) }
}
