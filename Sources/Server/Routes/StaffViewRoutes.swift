import EventLog
import Hummingbird
import Projections

/// The audit of staff reads: who read a conversation's content, when and why. Every staff path
/// that returns content (timelines, search, the review queue) records a `StaffViewedConversation`
/// first; this listing returns those views and no content, so it needs no reason and records none.
struct StaffViewRoutes {
    let commands: Commands

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("staff/conversations/:conversation/views") { request, context in
            _ = try context.staff()
            let limit = Int(try request.integer("limit", default: 50, in: 1...200))
            let after = try request.uri.queryParameters.get("cursor").map { text throws(APIError) in try Self.version(text) } ?? 0
            let views = try await self.commands.staffViews(of: try request.path("conversation", context), after: after, limit: limit)
            var writer = JSONWriter(capacity: 160 * (views.count + 1))
            writer.beginObject()
            writer.key("items")
            writer.beginArray()
            for view in views {
                writer.beginObject()
                writer.key("offset")
                writer.int(view.offset)
                writer.key("staffId")
                writer.string(view.staffId)
                writer.key("reason")
                writer.string(view.reason)
                writer.key("at")
                writer.string(view.at.description)
                writer.endObject()
            }
            writer.endArray()
            writer.key("next")
            if views.count == limit, let last = views.last {
                writer.string(PageCursor.text(["\(last.version)"]))
            } else {
                writer.null()
            }
            writer.endObject()
            return Response.json(writer.bytes)
        }
    }

    /// The stream version a `cursor` of this listing holds.
    private static func version(_ text: String) throws(APIError) -> Int {
        guard let version = Int(try PageCursor.fields(text, count: 1)[0]), version > 0 else { throw PageCursor.invalid }
        return version
    }
}
