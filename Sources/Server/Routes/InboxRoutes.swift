import EventLog
import Foundation
import Hummingbird
import Projections

/// A user's inbox and unread badge, read from the stored inbox projection on the read database
/// with keyset paging on its indexes. Each answer names the log offset its rows reflect (the
/// projection's checkpoint, read with them), so a client can open the stream from exactly there,
/// and a read that must see the client's own write passes its offset as `after`.
struct InboxRoutes {
    let reads: ReadSide
    let feed: LiveFeed

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("inbox") { request, context in try await self.inbox(request, context) }
        group.get("unread") { request, context in try await self.unread(request, context) }
    }

    /// Waits until the stored inbox reflects the `after` offset the client passed (its own last write).
    private func catchUp(_ request: Request, _ context: ParleyContext) async throws(APIError) {
        let after = try request.integer("after", default: 0, in: 0...Int64.max)
        try await self.reads.wait(for: Inbox.name, reaching: after, logger: context.logger)
    }

    private func inbox(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let (user, _) = try context.user()
        try await self.catchUp(request, context)
        var query = Inbox.Query()
        query.filter = try request.choice("filter", as: Inbox.Query.Filter.self)
        query.orderState = try request.choice("orderState", as: OrderState.self)
        query.sort = try request.choice("sort", as: Inbox.Query.Sort.self) ?? .recent
        query.search = try request.searchText("q", maxCharacters: 100)
        let limit = Int(try request.integer("limit", default: 50, in: 1...200))
        let cursor = try request.uri.queryParameters.get("cursor").map { text throws(APIError) in try InboxCursor(text) }
        guard cursor == nil || cursor?.sort == query.sort else { throw APIError.invalid("`cursor` belongs to another `sort`") }
        let logger = context.logger
        let page = try await self.reads.read("the inbox") { [query] log in
            try await Inbox.page(of: user, query, after: cursor?.position, limit: limit + 1, client: log.client, logger: logger)
        }
        let rows = page.rows.prefix(limit)
        var writer = JSONWriter(capacity: 512 * (rows.count + 1))
        writer.beginObject()
        writer.key("offset")
        writer.int(page.checkpoint)
        writer.key("epoch")
        writer.string(try await self.epoch())
        writer.key("items")
        writer.beginArray()
        for row in rows { WireFormat.write(row, into: &writer) }
        writer.endArray()
        writer.key("nextCursor")
        if page.rows.count > limit, let last = rows.last {
            writer.string(InboxCursor(sort: query.sort, position: Inbox.Position(after: last)).text)
        } else {
            writer.null()
        }
        writer.endObject()
        return Response.json(writer.bytes)
    }

    /// The log's epoch, from the live feed once it runs.
    private func epoch() async throws(APIError) -> String {
        let known = await self.feed.epoch
        if !known.isEmpty { return known }
        return try await self.reads.read("the log's epoch") { log in try await log.head().epoch }
    }

    struct Unread: Encodable {
        var offset: Int64
        var total: Int
        var conversations: [String: Int]
    }

    private func unread(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let (user, _) = try context.user()
        try await self.catchUp(request, context)
        let logger = context.logger
        let unread = try await self.reads.read("the unread counts") { log in try await Inbox.unread(of: user, client: log.client, logger: logger) }
        return try Response.json(Unread(offset: unread.checkpoint, total: unread.counts.values.reduce(0, +), conversations: unread.counts))
    }
}

/// Where an inbox page ends, in its sort order, as opaque base64url text.
struct InboxCursor {
    let sort: Inbox.Query.Sort
    let position: Inbox.Position

    init(sort: Inbox.Query.Sort, position: Inbox.Position) {
        self.sort = sort
        self.position = position
    }

    /// - Throws: ``APIError`` 400 when the text is not a cursor this server issued.
    init(_ text: String) throws(APIError) {
        let parts = try PageCursor.fields(text, count: 4)
        guard let sort = Inbox.Query.Sort(rawValue: parts[0]), let tier = Int(parts[1]), let activity = Int64(parts[2]) else {
            throw PageCursor.invalid
        }
        self.sort = sort
        self.position = Inbox.Position(unreadTier: tier, lastActivity: activity, conversationId: parts[3])
    }

    var text: String {
        PageCursor.text([self.sort.rawValue, "\(self.position.unreadTier)", "\(self.position.lastActivity)", self.position.conversationId])
    }
}
