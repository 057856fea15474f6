public import EventLog

extension UserFeed {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// A row of the inbox's tables.
        case inbox(Inbox.Change)
        /// Insert or replace what the feed keeps of a conversation.
        case conversation(FeedConversationRow)
        /// Insert or replace a listing's latest details.
        case listing(ListingUpdated)
        /// Insert or replace an order's latest state change.
        case order(OrderStateChanged)
        /// Insert one user's update.
        case update(UpdateRow)
        /// Where the stored updates start (written by a rebuild only).
        case floor(UpdateFloorRow)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case inbox(Inbox.Change.Key)
            case conversation(String)
            case listing(String)
            case order(String)
            case update(userId: String, position: Int64)
            case floor
        }

        public var key: Key {
            switch self {
            case .inbox(let change): .inbox(change.key)
            case .conversation(let row): .conversation(row.conversationId)
            case .listing(let listing): .listing(listing.listingId)
            case .order(let order): .order(order.orderId)
            case .update(let row): .update(userId: row.update.userId, position: row.update.position)
            case .floor: .floor
            }
        }
    }
}

/// What the feed keeps of a conversation: its participants and subject, its version, the
/// messages staff redacted or kept from their recipient, and the messages held for review (what a
/// release shows).
public struct FeedConversationRow: Hashable, Sendable {
    /// The conversation.
    public var conversationId: String
    /// What the feed knows of it.
    public var conversation: UserFeed.Conversation
    /// Messages held for review and not reviewed yet, by id.
    public var held: [MessageSent]
}

/// One user's update as it is stored: the update, and the message it shows when that is not the
/// event at its position (a held message staff released). The rest of the event (its stream,
/// version and time, and the event itself) is read back from the log.
public struct UpdateRow: Hashable, Sendable {
    /// The update.
    public var update: UserUpdate
    /// The message shown, when it is not the logged event.
    public var shown: MessageSent?
}

/// The position after which the stored updates are complete: 0 for a feed projected from the
/// start of the log, the position a rebuild replayed to otherwise (a rebuild writes no updates
/// for the events it replays in bulk).
public struct UpdateFloorRow: Hashable, Sendable {
    /// The position.
    public var position: Int64
}
