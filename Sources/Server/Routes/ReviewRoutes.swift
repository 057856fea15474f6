import EventLog
import Foundation
import Hummingbird
import Projections

/// The staff review queue: detections and user flags grouped per message, and staff decisions.
///
/// Listing returns message text (a context snippet), which is conversation content: like a
/// search, it needs a `reason` and records one staff view per conversation it returns.
struct ReviewRoutes {
    let commands: Commands
    /// Where the queue is read.
    let reads: ReadSide
    let maxBodyBytes: Int

    struct DecisionBody: Decodable {
        var decision: ReviewDecision
        var reason: String
    }

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("staff/review-queue") { request, context in try await self.list(request, context) }
        group.post("staff/review-queue/:conversation/:message/decision") { request, context in
            var request = request
            let body = try await request.decode(DecisionBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.review(
                message: try request.path("message", context), in: try request.path("conversation", context), decision: body.decision,
                reason: body.reason, by: try context.caller(), logger: context.logger)
            return try Response.json(WriteResult(appended), status: .created)
        }
    }

    /// The snippet of the message text each item carries.
    static let snippetCharacters = 280

    private func list(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let staff = try context.caller()
        _ = try context.staff()
        let reason = try StaffRoutes.reason(request, self.commands, maxCharacters: 280)
        var filter = ReviewQueue.Filter()
        filter.status = try request.choice("status", as: ReviewItemRow.Status.self) ?? .open
        filter.source = try request.choice("source", as: ReviewQueue.Filter.Source.self)
        if let name = request.uri.queryParameters.get("class") {
            guard Self.classes.contains(name) else {
                throw APIError.invalid("`class` must be one of \(Self.classes.joined(separator: ", ")); got \"\(name)\"")
            }
            filter.contactClass = name
        }
        let limit = Int(try request.integer("limit", default: 50, in: 1...200))
        let position = try request.uri.queryParameters.get("cursor").map { text throws(APIError) in try ReviewCursor(text).position }
        let logger = context.logger
        let items = try await self.reads.read("the review queue") { [filter] log in
            try await ReviewQueue.page(filter, after: position, limit: limit, client: log.client, logger: logger)
        }
        var viewed: Set<String> = []
        for item in items where item.text != nil && viewed.insert(item.row.conversationId).inserted {
            _ = try await self.commands.recordStaffView(of: item.row.conversationId, reason: "\(reason) (review queue)", by: staff)
        }
        var writer = JSONWriter(capacity: 512 * (items.count + 1))
        writer.beginObject()
        writer.key("items")
        writer.beginArray()
        for item in items { Self.write(item, into: &writer) }
        writer.endArray()
        writer.key("next")
        if items.count == limit, let last = items.last {
            writer.string(ReviewCursor(after: last.row).text)
        } else {
            writer.null()
        }
        writer.endObject()
        return Response.json(writer.bytes)
    }

    /// The contact classes a filter may name.
    static let classes = ["phone_number", "email_address", "external_link", "social_handle", "messaging_app", "off_platform_payment"]

    private static func write(_ item: ReviewQueue.Listing, into writer: inout JSONWriter) {
        let row = item.row
        writer.beginObject()
        writer.key("conversationId")
        writer.string(row.conversationId)
        writer.key("messageId")
        writer.string(row.messageId)
        writer.key("senderId")
        WireFormat.optional(item.senderId, into: &writer)
        writer.key("status")
        writer.string(row.status.rawValue)
        writer.key("moderationAction")
        WireFormat.optional(row.moderationAction, into: &writer)
        writer.key("classes")
        writer.beginArray()
        for name in row.classes.split(separator: ",") { writer.string(String(name)) }
        writer.endArray()
        writer.key("rule")
        WireFormat.optional(row.rule, into: &writer)
        writer.key("score")
        writer.double(row.score)
        writer.key("reporters")
        writer.int(Int64(row.reporters))
        writer.key("reasons")
        writer.beginArray()
        for name in row.reasons.split(separator: ",") { writer.string(String(name)) }
        writer.endArray()
        writer.key("snippet")
        WireFormat.optional(item.text.map { String($0.prefix(Self.snippetCharacters)) }, into: &writer)
        writer.key("redacted")
        writer.bool(item.redacted)
        writer.key("firstAt")
        writer.string(row.firstAt.description)
        writer.key("lastAt")
        writer.string(row.lastAt.description)
        writer.key("decidedBy")
        WireFormat.optional(row.decidedBy, into: &writer)
        writer.key("decisionReason")
        WireFormat.optional(row.decisionReason, into: &writer)
        writer.endObject()
    }
}

/// Where a review-queue page ended, as an opaque token.
struct ReviewCursor {
    let position: ReviewQueue.Position

    init(after row: ReviewItemRow) {
        self.position = ReviewQueue.Position(lastAt: row.lastAt.microseconds, conversationId: row.conversationId, messageId: row.messageId)
    }

    /// - Throws: ``APIError`` 400 when the text is not a cursor this server issued.
    init(_ text: String) throws(APIError) {
        let parts = try PageCursor.fields(text, count: 3)
        guard let lastAt = Int64(parts[0]) else { throw PageCursor.invalid }
        self.position = ReviewQueue.Position(lastAt: lastAt, conversationId: parts[1], messageId: parts[2])
    }

    var text: String {
        PageCursor.text(["\(self.position.lastAt)", self.position.conversationId, self.position.messageId])
    }
}
