/// Who a conversation on the dispute timelines is between and which order it is about: what the
/// timelines need, beyond their entries, to place an event that names no conversation (an order's
/// state change, a block between two users) on the conversations it belongs to.
public struct TimelineConversationRow: Hashable, Sendable {
    /// The conversation.
    public var conversationId: String
    /// Its buyer.
    public var buyerId: String
    /// Its vendor.
    public var vendorId: String
    /// The order it is about, for conversations about an order.
    public var orderId: String?
}
