import EventLog
import Foundation
import Hummingbird
import Projections

/// A user's inbox and unread badge, served from the live feed so each answer names the offset it
/// is as of: a client can open the stream from exactly there.
struct InboxRoutes {
    let feed: LiveFeed

    enum Filter: String, CaseIterable { case unread, awaitingReply = "awaiting_reply" }

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("inbox") { request, context in try await self.inbox(request, context) }
        group.get("unread") { request, context in try await self.unread(request, context) }
    }

    /// Waits until the feed has applied the `after` offset the client passed (its own last write).
    private func catchUp(_ request: Request) async throws(APIError) {
        let after = try request.integer("after", default: 0, in: 0...Int64.max)
        guard await self.feed.waitUntil(after) else {
            throw .unavailable("offset \(after) is not applied yet; retry shortly")
        }
    }

    private func inbox(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let (user, _) = try context.user()
        try await self.catchUp(request)
        let filter = try request.choice("filter", as: Filter.self)
        let orderState = try request.choice("orderState", as: OrderState.self)
        let search = request.uri.queryParameters.get("q")?.lowercased()
        let limit = Int(try request.integer("limit", default: 50, in: 1...200))
        let cursor = try request.uri.queryParameters.get("cursor").map { text throws(APIError) in try InboxCursor(text) }
        let (rows, offset, epoch) = await self.feed.inboxSnapshot(of: user)
        let matching = rows.filter { row in
            if let cursor, !cursor.precedes(row) { return false }
            switch filter {
            case .unread where row.unreadCount == 0: return false
            case .awaitingReply where !row.awaitingReply: return false
            default: break
            }
            if let orderState, row.orderState != orderState { return false }
            if let search, !(row.counterpartName?.lowercased().contains(search) ?? false),
                !(row.subject.title?.lowercased().contains(search) ?? false)
            {
                return false
            }
            return true
        }
        let page = matching.prefix(limit)
        var writer = JSONWriter(capacity: 512 * (page.count + 1))
        writer.beginObject()
        writer.key("offset")
        writer.int(offset)
        writer.key("epoch")
        writer.string(epoch)
        writer.key("items")
        writer.beginArray()
        for row in page { WireFormat.write(row, into: &writer) }
        writer.endArray()
        writer.key("nextCursor")
        if matching.count > limit, let last = page.last { writer.string(InboxCursor(after: last).text) } else { writer.null() }
        writer.endObject()
        return Response.json(writer.bytes)
    }

    struct Unread: Encodable {
        var offset: Int64
        var total: Int
        var conversations: [String: Int]
    }

    private func unread(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let (user, _) = try context.user()
        try await self.catchUp(request)
        let (rows, offset, _) = await self.feed.inboxSnapshot(of: user)
        var conversations: [String: Int] = [:]
        for row in rows where row.unreadCount > 0 { conversations[row.conversationId] = row.unreadCount }
        return try Response.json(Unread(offset: offset, total: conversations.values.reduce(0, +), conversations: conversations))
    }
}

/// Where an inbox page ends: the last row's activity time and conversation id (the sort key),
/// as opaque base64url text.
struct InboxCursor {
    let activity: Int64
    let conversationId: String

    init(after row: InboxRow) {
        self.activity = row.lastActivityAt.microseconds
        self.conversationId = row.conversationId
    }

    /// - Throws: ``APIError`` 400 when the text is not a cursor this server issued.
    init(_ text: String) throws(APIError) {
        guard let data = Data(base64URL: Substring(text)), let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":"), let activity = Int64(decoded[..<colon])
        else { throw .invalid("`cursor` is not a cursor from a previous page") }
        self.activity = activity
        self.conversationId = String(decoded[decoded.index(after: colon)...])
    }

    var text: String {
        Data("\(self.activity):\(self.conversationId)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `row` comes after the cursor in inbox order (latest activity first).
    func precedes(_ row: InboxRow) -> Bool {
        (row.lastActivityAt.microseconds, row.conversationId) < (self.activity, self.conversationId)
    }
}
