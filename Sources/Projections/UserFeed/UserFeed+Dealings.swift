public import EventLog
public import Logging
public import PostgresNIO

extension UserFeed {
    /// What stands between a buyer and a vendor: whether either blocked the other, and the state
    /// of each order the buyer placed with the vendor. What a send and a conversation's start are
    /// checked against, read in one statement with the checkpoint it reflects, then brought up to
    /// the log's head with ``advance(with:)``.
    public struct Dealings: Sendable, Equatable {
        public let buyerId: String
        public let vendorId: String
        /// Whether the buyer has blocked the vendor.
        public var buyerBlockedVendor = false
        /// Whether the vendor has blocked the buyer.
        public var vendorBlockedBuyer = false
        /// The latest state of each order, by order id.
        public var orders: [String: OrderState] = [:]

        /// No blocks and no orders yet.
        public init(buyerId: String, vendorId: String) {
            self.buyerId = buyerId
            self.vendorId = vendorId
        }

        /// The event types ``advance(with:)`` folds.
        public static let eventTypes: Set<String> = [UserBlocked.eventType, UserUnblocked.eventType, OrderStateChanged.eventType]

        /// Whether `blocker` (the buyer or the vendor) has blocked the other.
        public func hasBlocked(_ blocker: String) -> Bool {
            blocker == self.buyerId ? self.buyerBlockedVendor : blocker == self.vendorId && self.vendorBlockedBuyer
        }

        /// Whether the buyer has an order from the vendor that was not cancelled: the context in
        /// which moderation lets delivery arrangements through.
        public var hasOrder: Bool { self.orders.values.contains { $0 != .cancelled } }

        /// Whether the buyer has an order from the vendor still under way (neither completed nor cancelled).
        public var hasActiveOrder: Bool { self.orders.values.contains { $0 != .cancelled && $0 != .completed } }

        /// Folds a later event in: a block or unblock between the two, or an order state change of theirs.
        public mutating func advance(with event: DomainEvent) {
            switch event {
            case .userBlocked(let block): self.setBlock(blocker: block.blockerId, blocked: block.blockedId, to: true)
            case .userUnblocked(let block): self.setBlock(blocker: block.blockerId, blocked: block.blockedId, to: false)
            case .orderStateChanged(let change) where change.buyerId == self.buyerId && change.vendorId == self.vendorId:
                self.orders[change.orderId] = change.state
            default: break
            }
        }

        private mutating func setBlock(blocker: String, blocked: String, to active: Bool) {
            if blocker == self.buyerId && blocked == self.vendorId { self.buyerBlockedVendor = active }
            if blocker == self.vendorId && blocked == self.buyerId { self.vendorBlockedBuyer = active }
        }
    }

    /// The stored ``Dealings`` between `buyer` and `vendor`, and the inbox's checkpoint they
    /// reflect, in one statement (one snapshot of the database).
    public static func dealings(
        buyer: String, vendor: String, client: PostgresClient, logger: Logger
    ) async throws -> (dealings: Dealings, checkpoint: Int64) {
        // Served by the blocks' primary key and parley_feed_orders_parties.
        let rows = try await client.query(
            """
            SELECT coalesce((SELECT position FROM parley_projection_checkpoints WHERE projection = \(Self.name)), 0),
                   coalesce((SELECT active FROM parley_inbox_blocks WHERE blocker_id = \(buyer) AND blocked_id = \(vendor)), false),
                   coalesce((SELECT active FROM parley_inbox_blocks WHERE blocker_id = \(vendor) AND blocked_id = \(buyer)), false),
                   coalesce((SELECT array_agg(order_id ORDER BY order_id) FROM parley_feed_orders WHERE buyer_id = \(buyer) AND vendor_id = \(vendor)), '{}'),
                   coalesce((SELECT array_agg(state ORDER BY order_id) FROM parley_feed_orders WHERE buyer_id = \(buyer) AND vendor_id = \(vendor)), '{}')
            """, logger: logger)
        for try await (checkpoint, buyerBlocked, vendorBlocked, orderIds, states) in rows.decode((Int64, Bool, Bool, [String], [String]).self) {
            var dealings = Dealings(buyerId: buyer, vendorId: vendor)
            (dealings.buyerBlockedVendor, dealings.vendorBlockedBuyer) = (buyerBlocked, vendorBlocked)
            for (id, state) in zip(orderIds, states) {
                guard let state = OrderState(rawValue: state) else {
                    throw ProjectorError("\(FeedOrderRow.table) holds order \(id) in a state this build does not know: \(state)")
                }
                dealings.orders[id] = state
            }
            return (dealings, checkpoint)
        }
        throw ProjectorError("the dealings statement returned no row")
    }
}
