public import EventLog

/// A staff member opened a conversation, e.g. to mediate a dispute; recorded for audit.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/StaffViewedConversation.v1.json`.
public struct StaffViewedConversation: DomainEventPayload {
    public static let eventType = "StaffViewedConversation"
    public static let schemaVersion = 1

    /// The conversation.
    public var conversationId: String
    /// The staff member.
    public var staffId: String
    /// Why, in the staff member's words.
    public var reason: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(conversationId: String, staffId: String, reason: String, occurredAt: Timestamp) {
        self.conversationId = conversationId
        self.staffId = staffId
        self.reason = reason
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .staffViewedConversation(self) }
}

extension StaffViewedConversation: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?
        var staffId: String?
        var reason: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "staffId": staffId = try reader.read()
            case "reason": reason = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            staffId: try reader.required(staffId, "staffId"),
            reason: try reader.required(reason, "reason"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("staffId", self.staffId)
        writer.field("reason", self.reason)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
