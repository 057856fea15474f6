import EventLog
import Foundation
import Hummingbird
import PostgresNIO
import Projections

/// Staff routes: find conversations, read a dispute's full timeline (recorded as a staff view
/// with its reason before anything is returned), redact messages, read vendor response metrics.
struct StaffRoutes {
    let commands: Commands
    /// Where timelines, searches and metrics are read.
    let reads: ReadSide
    let maxBodyBytes: Int

    struct RedactBody: Decodable {
        var reason: String
    }

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("staff/search") { request, context in try await self.search(request, context) }
        group.get("staff/conversations/:conversation/timeline") { request, context in
            let staff = try context.caller()
            _ = try context.staff()
            let reason = try Self.reason(request, self.commands)
            let id = try request.path("conversation", context)
            let conversation = try await self.commands.conversation(id)
            let view = try await self.commands.recordStaffView(of: id, reason: reason, by: staff)
            var streams = [try StreamName.conversation(id)]
            if let order = conversation.subject.orderId { streams.append(try .order(order)) }
            return try await self.timeline(of: streams, through: view.offset)
        }
        group.get("staff/orders/:order/timeline") { request, context in
            let staff = try context.caller()
            _ = try context.staff()
            let reason = try Self.reason(request, self.commands)
            let id = try request.path("order", context)
            guard let order = try await self.commands.order(id) else { throw APIError.notFound("order_not_found", "no order \"\(id)\"") }
            var streams = [try StreamName.order(id)]
            let conversation = Identifiers.conversation(
                buyer: order.buyerId, vendor: order.vendorId, subject: ConversationSubject(kind: .order, orderId: id))
            var through: Int64 = 0
            if (try? await self.commands.conversation(conversation)) != nil {
                through = try await self.commands.recordStaffView(of: conversation, reason: reason, by: staff).offset
                streams.append(try .conversation(conversation))
            }
            return try await self.timeline(of: streams, through: through)
        }
        group.post("staff/conversations/:conversation/messages/:message/redact") { request, context in
            var request = request
            let body = try await request.decode(RedactBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.redact(
                message: try request.path("message", context), in: try request.path("conversation", context), reason: body.reason,
                by: try context.caller())
            return try Response.json(WriteResult(appended), status: .created)
        }
        group.get("staff/vendors/:vendor/metrics") { request, context in
            _ = try context.staff()
            return try await self.metrics(of: try request.path("vendor", context), request, context)
        }
    }

    /// The `reason` of a staff read of conversation content: required, and a reason as
    /// ``Commands/check(reason:limit:)`` takes it (at most `maxCharacters`, when given).
    /// - Throws: ``APIError`` 400 when it is missing, empty or blank, 413 when it is too long.
    static func reason(_ request: Request, _ commands: Commands, maxCharacters: Int? = nil) throws(APIError) -> String {
        guard let reason = request.uri.queryParameters.get("reason") else {
            throw .invalid("staff reads of conversation content need a `reason` (e.g. ?reason=dispute%20D-42)")
        }
        try commands.check(reason: reason, limit: maxCharacters)
        return reason
    }

    /// Every event of `streams` in log order, with its actor and full data (redacted text included),
    /// read once the read database's log holds offset `through` (the staff view just recorded).
    private func timeline(of streams: [StreamName], through offset: Int64) async throws -> Response {
        try await self.reads.waitForLog(reaching: offset)
        var events = try await self.reads.read("the timeline") { log in
            var events: [RecordedEvent] = []
            for stream in streams { events += try await log.readAll(stream) }
            return events
        }
        events.sort { $0.position < $1.position }
        var writer = JSONWriter(capacity: 300 * (events.count + 1))
        writer.beginObject()
        writer.key("items")
        writer.beginArray()
        for recorded in events {
            writer.beginObject()
            writer.key("offset")
            writer.int(recorded.position)
            writer.key("stream")
            writer.string(recorded.stream.description)
            writer.key("version")
            writer.int(Int64(recorded.streamVersion))
            writer.key("type")
            writer.string(recorded.type)
            writer.key("actor")
            if let actor = recorded.metadata.actor { writer.string(actor) } else { writer.null() }
            writer.key("at")
            writer.string(recorded.recordedAt.description)
            writer.key("data")
            if let event = try? ProjectedEvent(recorded).event { writer.raw(event.encode()) } else { writer.null() }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return Response.json(writer.bytes)
    }

    struct Found: Encodable {
        var conversationId: String
        var buyerId: String
        var vendorId: String
        var subjectKind: String
        var title: String?
        var orderId: String?
        var lastActivityAt: Date

        init(_ hit: Inbox.StaffSearchHit) {
            (self.conversationId, self.buyerId, self.vendorId) = (hit.conversationId, hit.buyerId, hit.vendorId)
            (self.subjectKind, self.title, self.orderId) = (hit.subject.rawValue, hit.title, hit.orderId)
            self.lastActivityAt = hit.lastActivityAt.date
        }
    }

    /// Conversations whose participant (id or name), listing title, order id or own id matches `q`,
    /// and messages containing all of `q`'s words. Message text is conversation content: the
    /// search needs a `reason`, and records one staff view (with the reason and the query) of each
    /// conversation whose messages it returns before it returns them.
    private func search(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let staff = try context.caller()
        _ = try context.staff()
        guard let query = try request.searchText("q", maxCharacters: 200) else { throw APIError.invalid("`q` must be 1 to 200 characters") }
        let reason = try Self.reason(request, self.commands, maxCharacters: 280)
        let limit = try request.integer("limit", default: 50, in: 1...200)
        let logger = context.logger
        let found = try await self.reads.read("the conversations matching the search") { log in
            try await Inbox.staffSearch(query, limit: Int(limit), client: log.client, logger: logger).map(Found.init)
        }
        let messages = try await self.reads.read("the messages matching the search") { log in
            try await MessageSearch.messages(matching: query, limit: Int(limit), client: log.client, logger: logger).map(FoundMessage.init)
        }
        var recorded: Set<String> = []
        for message in messages where recorded.insert(message.conversationId).inserted {
            _ = try await self.commands.recordStaffView(of: message.conversationId, reason: "\(reason) (search: \(query))", by: staff)
        }
        return try Response.json(SearchResult(conversations: found, messages: messages))
    }

    struct FoundMessage: Encodable {
        var conversationId: String
        var messageId: String
        var senderId: String
        var sentAt: Date
        /// The original text, also of a redacted message.
        var text: String
        var redacted: Bool

        init(_ row: MessageSearchRow) {
            (self.conversationId, self.messageId, self.senderId) = (row.conversationId, row.messageId, row.senderId)
            (self.sentAt, self.text, self.redacted) = (row.sentAt.date, row.body, row.redacted)
        }
    }

    struct SearchResult: Encodable {
        var conversations: [Found]
        var messages: [FoundMessage]
    }

    struct Day: Encodable {
        var day: String
        var conversations: Int
        var answered: Int
        var answeredWithin1h: Int
        var answeredWithin24h: Int
        var medianResponseSeconds: Double?
        var meanResponseSeconds: Double?

        init(_ row: VendorDayMetricsRow) {
            (self.day, self.conversations, self.answered) = (row.day.description, row.conversations, row.answered)
            (self.answeredWithin1h, self.answeredWithin24h) = (row.answeredWithin1h, row.answeredWithin24h)
            (self.medianResponseSeconds, self.meanResponseSeconds) = (row.medianResponseSeconds, row.meanResponseSeconds)
        }
    }

    /// A vendor's response metrics per day, `from`..`to` (dates, inclusive; default the last 30 days).
    private func metrics(of vendor: String, _ request: Request, _ context: ParleyContext) async throws -> Response {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        func date(_ name: String, _ fallback: Date) throws(APIError) -> Date {
            guard let text = request.uri.queryParameters.get(name) else { return fallback }
            guard let date = formatter.date(from: text) else { throw .invalid("`\(name)` must be a date like 2026-11-25; got \"\(text)\"") }
            return date
        }
        let to = try date("to", Date())
        let from = try date("from", to.addingTimeInterval(-30 * 86_400))
        let (first, last, logger) = (formatter.string(from: from), formatter.string(from: to), context.logger)
        let days = try await self.reads.read("the metrics") { log in
            try await VendorResponseMetrics.days(of: vendor, from: first, to: last, client: log.client, logger: logger).map(Day.init)
        }
        return try Response.json(VendorMetrics(vendorId: vendor, days: days))
    }

    struct VendorMetrics: Encodable {
        var vendorId: String
        var days: [Day]
    }
}
