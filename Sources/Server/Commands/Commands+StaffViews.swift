import EventLog
import Projections

extension Commands {
    /// One staff read of a conversation's content, as the audit lists it.
    struct StaffView: Sendable, Equatable {
        /// The view's position in the log.
        var offset: Int64
        /// Its version in the conversation's stream: what a cursor of the listing holds.
        var version: Int
        /// The staff member who read.
        var staffId: String
        /// Why, as they gave it (with the path that read: `(search: …)`, `(review queue)`).
        var reason: String
        /// When they read.
        var at: Timestamp
    }

    /// Who read a conversation's content, when and why: its `StaffViewedConversation` events
    /// after stream version `version`, oldest first, at most `limit`. They are read from the
    /// conversation's stream in the log (as the timeline is), so a view is listed as soon as it
    /// is committed. The answer holds no content, so reading it needs no reason and records no view.
    /// - Throws: ``APIError`` 400 for a bad id, 404 `conversation_not_found`, 503 when the log
    ///   cannot be read.
    func staffViews(of conversationId: String, after version: Int, limit: Int) async throws(APIError) -> [StaffView] {
        try self.check(id: conversationId, "conversation")
        _ = try await self.conversation(conversationId)
        let stream: StreamName
        do {
            stream = try .conversation(conversationId)
        } catch {
            throw APIError(error)
        }
        var views: [StaffView] = []
        try await self.readPages(of: stream, from: version + 1) { page throws(APIError) in
            for recorded in page where recorded.type == StaffViewedConversation.eventType {
                guard case .staffViewedConversation(let view) = try Self.decode(recorded) else { continue }
                views.append(
                    StaffView(offset: recorded.position, version: recorded.streamVersion, staffId: view.staffId, reason: view.reason, at: view.occurredAt))
                if views.count == limit { return false }
            }
            return true
        }
        return views
    }
}
