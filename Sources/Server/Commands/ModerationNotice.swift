import Moderation
import Projections

/// What the sender is told of a moderation decision about their message: in the `ack` of a message
/// that was stored (masked, flagged, or let through after a match) and in the `message_blocked`
/// error of one that was bounced. The same decision reaches the sender's stream as a
/// `message.moderated` update.
struct ModerationNotice: Sendable, Equatable {
    let decision: ModerationDecision
    /// The step this attempt moved the sender to, when it moved them and they may be told.
    var standing: StandingChanged?

    /// `{"action", "classes", "spans": [{"start", "length", "class", "rule"}], "statementOfReasons",
    /// "standing"?: {"standing", "attempts", "statementOfReasons"}}`.
    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("action")
        writer.string(self.decision.action.rawValue)
        writer.key("classes")
        writer.beginArray()
        for contactClass in self.decision.classes { writer.string(contactClass.rawValue) }
        writer.endArray()
        writer.key("spans")
        writer.beginArray()
        for match in self.decision.matches {
            writer.beginObject()
            writer.key("start")
            writer.int(Int64(match.span.start))
            writer.key("length")
            writer.int(Int64(match.span.length))
            writer.key("class")
            writer.string(match.contactClass.rawValue)
            writer.key("rule")
            writer.string(match.rule)
            writer.endObject()
        }
        writer.endArray()
        writer.key("statementOfReasons")
        writer.string(self.decision.statementOfReasons)
        if let standing = self.standing, standing.standing.isShownToUser {
            writer.key("standing")
            writer.beginObject()
            writer.key("standing")
            writer.string(standing.standing.rawValue)
            writer.key("attempts")
            writer.int(Int64(standing.attempts ?? 0))
            writer.key("statementOfReasons")
            writer.string(standing.statementOfReasons)
            writer.endObject()
        }
        writer.endObject()
    }

    /// The notice as a JSON object.
    var json: [UInt8] {
        var writer = JSONWriter(capacity: 256)
        self.write(into: &writer)
        return writer.bytes
    }
}
