import EventLog
import Foundation
import Hummingbird
import Projections

/// The routes of conversations for their participants: start, post, history, receipts, flags.
struct ConversationRoutes {
    let commands: Commands
    /// Where the history is read.
    let reads: ReadSide
    let maxBodyBytes: Int

    struct StartBody: Decodable {
        var vendorId: String
        var subject: SubjectBody
    }

    struct SubjectBody: Decodable {
        var kind: ConversationSubject.Kind
        var listingId: String?
        var orderId: String?
    }

    struct Started: Encodable {
        var conversationId: String
        var buyerId: String
        var vendorId: String
        var subject: ConversationSubject
        var created: Bool
        var offset: Int64
    }

    struct WatermarkBody: Decodable {
        var upToMessageId: String
    }

    struct FlagBody: Decodable {
        var reason: FlagReason
    }

    func add(to group: RouterGroup<ParleyContext>) {
        group.post("conversations") { request, context in
            var request = request
            let body = try await request.decode(StartBody.self, limit: self.maxBodyBytes)
            let started = try await self.commands.startConversation(
                buyer: try context.caller(), vendor: body.vendorId,
                subject: ConversationSubject(kind: body.subject.kind, listingId: body.subject.listingId, orderId: body.subject.orderId))
            let conversation = started.conversation
            return try Response.json(
                Started(
                    conversationId: conversation.conversationId, buyerId: conversation.buyerId, vendorId: conversation.vendorId,
                    subject: conversation.subject, created: started.created, offset: started.offset),
                status: started.created ? .created : .ok)
        }
        group.post("conversations/:conversation/messages") { request, context in
            var request = request
            let draft = try await request.decode(Commands.MessageDraft.self, limit: self.maxBodyBytes)
            let ack = try await self.commands.send(draft, in: try request.path("conversation", context), by: try context.caller())
            return Response.json(ack.json, status: ack.duplicate ? .ok : .created)
        }
        group.get("conversations/:conversation/messages") { request, context in
            try await self.history(request, context)
        }
        for watermark in [Commands.Watermark.delivered, .read] {
            group.post("conversations/:conversation/\(watermark.rawValue)") { request, context in
                var request = request
                let body = try await request.decode(WatermarkBody.self, limit: self.maxBodyBytes)
                let appended = try await self.commands.mark(
                    watermark, upTo: body.upToMessageId, in: try request.path("conversation", context), by: try context.caller())
                return try Response.json(WriteResult(appended))
            }
        }
        group.post("conversations/:conversation/messages/:message/flags") { request, context in
            var request = request
            let body = try await request.decode(FlagBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.flag(
                message: try request.path("message", context), in: try request.path("conversation", context), reason: body.reason,
                by: try context.caller())
            return try Response.json(WriteResult(appended), status: .created)
        }
    }

    /// A page of a conversation's history by version, as its participant sees it: hidden events
    /// are left out, redacted messages have no text. Read from the read database's log; a read that
    /// must show the caller's own write passes its offset as `after`.
    private func history(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let caller = try context.caller()
        guard let user = caller.userId, !caller.isStaff else {
            throw APIError.forbidden("participants read their history here; staff use /v1/staff/conversations/{id}/timeline with a reason")
        }
        let id = try request.path("conversation", context)
        _ = try await self.commands.visibleConversation(id, to: caller)
        let backwards = try request.choice("direction", as: Direction.self) == .backward
        let limit = Int(try request.integer("limit", default: 50, in: 1...500))
        let from = try request.integer("from", default: backwards ? Int64(Int32.max) : 1, in: 1...Int64(Int32.max))
        try await self.reads.waitForLog(reaching: try request.integer("after", default: 0, in: 0...Int64.max))
        let stream: StreamName
        do {
            stream = try .conversation(id)
        } catch {
            throw APIError(error)
        }
        let events = try await self.reads.read("the history") { log in
            try await log.read(stream: stream, from: Int(from), backwards: backwards, limit: limit)
        }
        // What is current (redactions, releases) comes from the primary, which is never behind the events read.
        let current = try await self.commands.stored("reading conversation \(id)") { client, logger in
            try await UserFeed.conversation(id, client: client, logger: logger)
        }
        var writer = JSONWriter(capacity: 256 * (events.count + 1))
        writer.beginObject()
        writer.key("items")
        writer.beginArray()
        for recorded in events {
            guard let item = try? HistoryItem(recorded, for: user, in: current) else { continue }
            item.write(into: &writer)
        }
        writer.endArray()
        writer.key("next")
        if events.count == limit, let last = events.last, !backwards || last.streamVersion > 1 {
            writer.int(Int64(backwards ? last.streamVersion - 1 : last.streamVersion + 1))
        } else {
            writer.null()
        }
        writer.endObject()
        return Response.json(writer.bytes)
    }

    enum Direction: String, CaseIterable { case forward, backward }
}
