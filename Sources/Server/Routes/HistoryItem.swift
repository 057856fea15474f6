import EventLog
import Projections

/// One event of a conversation's history as a participant reads it over HTTP: the same shape as
/// an update frame's body, without inbox rows.
struct HistoryItem {
    let update: UserUpdate

    /// The item of `recorded` for `user`; nil for events the user may not see.
    init?(_ recorded: RecordedEvent, for user: String, redacted: Set<String>) throws {
        let event = try ProjectedEvent(recorded)
        var visible: DomainEvent = event.event
        let kind: UserUpdate.Kind
        switch event.event {
        case .conversationStarted: kind = .conversationStarted
        case .messageSent(var message):
            kind = .messageAdded
            if redacted.contains(message.messageId) {
                message.text = ""
                message.attachment = nil
                visible = .messageSent(message)
            }
        case .messageDelivered: kind = .delivered
        case .messageRead: kind = .read
        case .messageRedacted: kind = .messageRedacted
        case .messageFlagged(let flag) where flag.flaggedBy == user: kind = .messageFlagged
        default: return nil
        }
        self.update = UserUpdate(
            userId: user, position: event.position, stream: event.stream, streamVersion: event.streamVersion,
            recordedAt: event.recordedAt, kind: kind, event: visible, inbox: [])
        self.redacted = kind == .messageAdded && redacted.contains(Self.messageId(of: event.event))
    }

    private let redacted: Bool

    private static func messageId(of event: DomainEvent) -> String {
        if case .messageSent(let message) = event { message.messageId } else { "" }
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
