import Hummingbird
import Projections

/// Server-to-server routes of the marketplace's backend (platform API key): listings, user
/// profiles and order states, which conversations show.
struct PlatformRoutes {
    let commands: Commands
    let maxBodyBytes: Int

    struct ListingBody: Decodable {
        var vendorId: String
        var title: String
        var priceCents: Int64
    }

    struct ProfileBody: Decodable {
        var displayName: String
        var role: UserRole
        var timeZone: String?
        var email: String?
    }

    struct OrderStateBody: Decodable {
        var buyerId: String
        var vendorId: String
        var state: OrderState
    }

    func add(to group: RouterGroup<ParleyContext>) {
        group.put("platform/listings/:listing") { request, context in
            var request = request
            let body = try await request.decode(ListingBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.upsertListing(
                id: try request.path("listing", context), vendor: body.vendorId, title: body.title, priceCents: body.priceCents,
                by: try context.caller())
            return try Response.json(WriteResult(appended))
        }
        group.put("platform/users/:user") { request, context in
            var request = request
            let body = try await request.decode(ProfileBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.upsertProfile(
                user: try request.path("user", context), displayName: body.displayName, role: body.role, timeZone: body.timeZone,
                email: body.email, by: try context.caller())
            return try Response.json(WriteResult(appended))
        }
        group.post("platform/orders/:order/state") { request, context in
            var request = request
            let body = try await request.decode(OrderStateBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.changeOrderState(
                order: try request.path("order", context), buyer: body.buyerId, vendor: body.vendorId, state: body.state,
                by: try context.caller())
            return try Response.json(WriteResult(appended))
        }
    }
}
