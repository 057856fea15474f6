import EventLog
import Projections

extension Commands {
    /// The platform describes (or updates) a vendor's listing: conversations about it show its title and price.
    func upsertListing(id: String, vendor: String, title: String, priceCents: Int64, by platform: Principal) async throws(APIError) -> Appended {
        guard platform == .platform else { throw .forbidden("only the platform key describes listings") }
        try self.check(id: id, "listingId")
        try self.check(id: vendor, "vendorId")
        try self.check(text: title, "title")
        guard priceCents >= 0 else { throw .invalid("`priceCents` must not be negative") }
        let listing = ListingUpdated(listingId: id, vendorId: vendor, title: title, priceCents: priceCents, occurredAt: self.clock())
        return try await self.append(.listingUpdated(listing), by: platform)
    }

    /// The platform describes (or updates) a user's profile.
    func upsertProfile(
        user: String, displayName: String, role: UserRole, timeZone: String?, email: String?, by platform: Principal
    ) async throws(APIError) -> Appended {
        guard platform == .platform else { throw .forbidden("only the platform key describes users") }
        try self.check(id: user, "userId")
        try self.check(text: displayName, "displayName")
        if let timeZone { try self.check(text: timeZone, "timeZone", limit: 64) }
        if let email { try self.check(text: email, "email", limit: 320) }
        let profile = UserProfileUpdated(userId: user, displayName: displayName, role: role, timeZone: timeZone, email: email, occurredAt: self.clock())
        return try await self.append(.userProfileUpdated(profile), by: platform)
    }

    /// The platform records an order's new state; conversations about the order show it.
    func changeOrderState(order: String, buyer: String, vendor: String, state: OrderState, by platform: Principal) async throws(APIError) -> Appended {
        guard platform == .platform else { throw .forbidden("only the platform key changes order states") }
        try self.check(id: order, "orderId")
        try self.check(id: buyer, "buyerId")
        try self.check(id: vendor, "vendorId")
        try self.checkWritable()
        if let known = try await self.order(order), known.buyerId != buyer || known.vendorId != vendor {
            throw .conflict("order_parties_changed", "order \"\(order)\" is between \(known.buyerId) and \(known.vendorId); its parties cannot change")
        }
        let change = OrderStateChanged(orderId: order, buyerId: buyer, vendorId: vendor, state: state, occurredAt: self.clock())
        return try await self.append(.orderStateChanged(change), by: platform)
    }
}
