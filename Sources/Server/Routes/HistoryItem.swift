import EventLog
import Projections

/// One event of a conversation's history as a participant reads it over HTTP: the same shape as
/// an update frame's body, without inbox rows.
struct HistoryItem {
    let update: UserUpdate

    /// The item of `recorded` for `user`; nil for events the user may not see. A message staff
    /// redacted has no text or attachment and is marked `redacted`.
    init?(_ recorded: RecordedEvent, for user: String, redacted: Set<String>) throws {
        let event = try ProjectedEvent(recorded)
        let kind = UserFeed.kind(of: event.event, for: user)
        guard kind != .hidden else { return nil }
        self.update = UserUpdate(
            userId: user, position: event.position, stream: event.stream, streamVersion: event.streamVersion,
            recordedAt: event.recordedAt, kind: kind, event: event.event, inbox: []
        ).hidingRedacted(redacted)
    }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        WireFormat.writeBody(of: self.update, into: &writer)
        writer.endObject()
    }
}
