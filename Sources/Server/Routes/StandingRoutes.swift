import EventLog
import Hummingbird
import Moderation
import Projections

/// Staff list users by standing, and read and set a user's moderation standing: warn, hold for review, shadow-restrict,
/// suspend, or restore to good standing — each a `StandingChanged` event with its reasons.
struct StandingRoutes {
    let commands: Commands
    /// Where the listing by standing is read.
    let reads: ReadSide
    let maxBodyBytes: Int

    struct StandingBody: Decodable {
        var standing: Standing
        var reason: String
    }

    /// A page of users with one standing.
    struct Page: Encodable {
        var items: [UserStandingRow]
        /// The cursor of the next page; nil (`null`) on the last.
        var next: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.items, forKey: .items)
            try container.encode(self.next, forKey: .next)
        }

        private enum CodingKeys: String, CodingKey { case items, next }
    }

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("staff/users") { request, context in
            _ = try context.staff()
            guard let standing = try request.choice("standing", as: Standing.self) else {
                throw APIError.invalid("`standing` is required: one of \(Standing.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let limit = Int(try request.integer("limit", default: 50, in: 1...200))
            let position = try request.uri.queryParameters.get("cursor").map { text throws(APIError) in try Self.position(text) }
            let logger = context.logger
            let rows = try await self.reads.read("the users' standings") { log in
                try await UserStanding.page(standing, after: position, limit: limit, client: log.client, logger: logger)
            }
            let next = rows.count == limit ? rows.last.map { PageCursor.text(["\($0.updatedAt.microseconds)", $0.userId]) } : nil
            return try Response.json(Page(items: rows, next: next))
        }
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

    /// The position a `cursor` of this listing names.
    private static func position(_ text: String) throws(APIError) -> UserStanding.Position {
        let fields = try PageCursor.fields(text, count: 2)
        guard let updatedAt = Int64(fields[0]) else { throw PageCursor.invalid }
        return UserStanding.Position(updatedAt: updatedAt, userId: fields[1])
    }
}
