import EventLog
import Projections
import Testing

/// What a send is checked against between a buyer and a vendor, folded from later events.
@Suite("The dealings between a buyer and a vendor")
struct DealingsTests {
    private static let at = Timestamp(microseconds: 1_780_000_000_000_000)

    private static func order(_ id: String, _ state: OrderState, buyer: String = "b", vendor: String = "v") -> DomainEvent {
        .orderStateChanged(OrderStateChanged(orderId: id, buyerId: buyer, vendorId: vendor, state: state, occurredAt: Self.at))
    }

    @Test("blocks and unblocks between the two set each direction on its own; those of others change nothing")
    func blocks() {
        var dealings = UserFeed.Dealings(buyerId: "b", vendorId: "v")
        dealings.advance(with: .userBlocked(UserBlocked(blockerId: "v", blockedId: "b", occurredAt: Self.at)))
        #expect(dealings.hasBlocked("v") && !dealings.hasBlocked("b") && dealings.vendorBlockedBuyer)
        dealings.advance(with: .userBlocked(UserBlocked(blockerId: "b", blockedId: "v", occurredAt: Self.at)))
        dealings.advance(with: .userUnblocked(UserUnblocked(blockerId: "v", blockedId: "b", occurredAt: Self.at)))
        #expect(dealings.hasBlocked("b") && !dealings.hasBlocked("v"))
        dealings.advance(with: .userBlocked(UserBlocked(blockerId: "v", blockedId: "b2", occurredAt: Self.at)))
        dealings.advance(with: .userUnblocked(UserUnblocked(blockerId: "b2", blockedId: "v", occurredAt: Self.at)))
        #expect(dealings.buyerBlockedVendor && !dealings.vendorBlockedBuyer)
        #expect(!dealings.hasBlocked("someone else"))
    }

    @Test("orders: any not cancelled counts as an order, only those neither completed nor cancelled as under way; others' orders change nothing")
    func orders() {
        var dealings = UserFeed.Dealings(buyerId: "b", vendorId: "v")
        #expect(!dealings.hasOrder && !dealings.hasActiveOrder)
        dealings.advance(with: Self.order("o1", .cancelled))
        #expect(!dealings.hasOrder && !dealings.hasActiveOrder)
        dealings.advance(with: Self.order("o2", .completed))
        #expect(dealings.hasOrder && !dealings.hasActiveOrder)
        dealings.advance(with: Self.order("o3", .placed, buyer: "b2"))
        dealings.advance(with: Self.order("o4", .placed, vendor: "v2"))
        #expect(!dealings.hasActiveOrder)
        dealings.advance(with: Self.order("o1", .placed))
        #expect(dealings.hasActiveOrder && dealings.orders == ["o1": .placed, "o2": .completed])
    }
}
