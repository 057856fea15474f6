import EventLog
import Projections

/// One event of a conversation's history as a participant reads it over HTTP: the same shape as
/// an update frame's body, without inbox rows.
struct HistoryItem {
    let update: UserUpdate

    /// The item of `recorded` for `user`; nil for events the user may not see. A message staff
    /// redacted has no text or attachment and is marked `redacted`; a message withheld when it was
    /// sent is shown to its recipient once the conversation no longer withholds it (staff
    /// released it), and its redaction is not shown to a recipient it was withheld from.
    init?(_ recorded: RecordedEvent, for user: String, in conversation: UserFeed.Conversation?) throws {
        let event = try ProjectedEvent(recorded)
        var shown = UserFeed.visible(event.event)
        var kind = UserFeed.kind(of: event.event, for: user)
        switch event.event {
        case .messageSent(var released) where kind == .hidden && released.withheld != nil && conversation.map({ $0.withheld[released.messageId] == nil }) ?? false:
            released.withheld = nil
            (shown, kind) = (.messageSent(released), .messageAdded)
        case .messageRedacted(let redaction) where conversation?.isWithheld(redaction.messageId, from: user) ?? false:
            kind = .hidden
        default:
            break
        }
        guard kind != .hidden else { return nil }
        self.update = UserUpdate(
            userId: user, position: event.position, stream: event.stream, streamVersion: event.streamVersion,
            recordedAt: event.recordedAt, kind: kind, event: shown, inbox: []
        ).hidingRedacted(conversation?.redacted ?? [])
    }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        WireFormat.writeBody(of: self.update, into: &writer)
        writer.endObject()
    }
}
