import EventLog
import Projections

/// One event of a conversation's history as a participant reads it over HTTP: the same shape as
/// an update frame's body, without inbox rows.
struct HistoryItem {
    let update: UserUpdate

    /// Whether the item is a message staff redacted (its text and attachment are left out).
    private let redacted: Bool

    /// The item of `recorded` for `user`; nil for events the user may not see.
    init?(_ recorded: RecordedEvent, for user: String, redacted: Set<String>) throws {
        let event = try ProjectedEvent(recorded)
        let kind = UserFeed.kind(of: event.event, for: user)
        guard kind != .hidden else { return nil }
        var visible = event.event
        if case .messageSent(var message) = visible, redacted.contains(message.messageId) {
            message.text = ""
            message.attachment = nil
            visible = .messageSent(message)
            self.redacted = true
        } else {
            self.redacted = false
        }
        self.update = UserUpdate(
            userId: user, position: event.position, stream: event.stream, streamVersion: event.streamVersion,
            recordedAt: event.recordedAt, kind: kind, event: visible, inbox: [])
    }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        WireFormat.writeBody(of: self.update, into: &writer)
        if self.redacted {
            writer.key("redacted")
            writer.bool(true)
        }
        writer.endObject()
    }
}
