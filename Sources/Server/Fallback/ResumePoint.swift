import HTTPTypes
import Hummingbird

/// Where an HTTP client's stream resumes: what `hello` says on the WebSocket, read from the query
/// (`offset`, `epoch`) or, for Server-Sent Events, from `Last-Event-ID` (the `id:` of the last
/// event the client received, which is an offset).
struct ResumePoint: Sendable {
    /// The offset the client has; nil for none (a first connection, answered with a snapshot).
    var offset: Int64?
    /// The epoch the offset belongs to; nil when the client did not say.
    var epoch: String?

    /// The resume point `request` names; `Last-Event-ID` wins over `?offset=`.
    /// - Throws: ``APIError`` 400 `invalid_request` for an offset that is not a non-negative integer.
    init(of request: Request) throws(APIError) {
        let text = request.headers[.lastEventID] ?? request.uri.queryParameters.get("offset")
        if let text, !text.isEmpty {
            guard let offset = Int64(text), offset >= 0 else {
                throw .invalid("the offset (Last-Event-ID or `offset`) must be a non-negative integer; got \"\(text.prefix(40))\"")
            }
            self.offset = offset
        }
        self.epoch = request.uri.queryParameters.get("epoch")
    }

    /// The epoch to resume in: the one the client named, else — when it names an offset without
    /// one, as a browser's `EventSource` does on its own reconnects to an unchanged URL — the
    /// current one (documented in docs/PROTOCOL.md: a client that keeps offsets across sessions
    /// sends the epoch too, so a replaced log is noticed).
    func epoch(current: String) -> String? {
        self.offset == nil ? self.epoch : (self.epoch ?? current)
    }
}

extension HTTPField.Name {
    /// The header an `EventSource` sends when it reconnects.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}

extension LiveFeed {
    /// Subscribes an HTTP client from its resume point; a connection limit reached is answered
    /// with its HTTP error.
    func subscribe(_ user: String, _ outbox: Outbox, _ resume: ResumePoint) async throws(APIError) -> (id: Int, start: Start) {
        do {
            return try await self.subscribe(user: user, outbox: outbox, after: resume.offset, epoch: resume.epoch(current: self.epoch))
        } catch {
            throw error.apiError
        }
    }
}
