import Hummingbird
import Moderation
import Projections

/// Staff read and set a user's moderation standing: warn, hold for review, shadow-restrict,
/// suspend, or restore to good standing — each a `StandingChanged` event with its reasons.
struct StandingRoutes {
    let commands: Commands
    let maxBodyBytes: Int

    struct StandingBody: Decodable {
        var standing: Standing
        var reason: String
    }

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("staff/users/:user/standing") { request, context in
            _ = try context.staff()
            let user = try request.path("user", context)
            try self.commands.check(id: user, "user")
            return try Response.json(try await self.commands.standing(of: user, logger: context.logger))
        }
        group.post("staff/users/:user/standing") { request, context in
            _ = try context.staff()
            var request = request
            let body = try await request.decode(StandingBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.setStanding(
                of: try request.path("user", context), to: body.standing, reason: body.reason, by: try context.caller(),
                logger: context.logger)
            return try Response.json(WriteResult(appended), status: .created)
        }
    }
}
