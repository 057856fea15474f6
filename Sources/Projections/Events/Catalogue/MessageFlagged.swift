public import EventLog

/// A person or a detector flagged a message for moderation.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/MessageFlagged.v1.json`.
public struct MessageFlagged: DomainEventPayload {
    public static let eventType = "MessageFlagged"
    public static let schemaVersion = 1

    /// The conversation.
    public var conversationId: String
    /// The message flagged.
    public var messageId: String
    /// The user who reported it, or the detector's name for automatic flags.
    public var flaggedBy: String
    /// Why.
    public var reason: FlagReason
    /// Whether a person or a detector raised it.
    public var source: FlagSource
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        conversationId: String,
        messageId: String,
        flaggedBy: String,
        reason: FlagReason,
        source: FlagSource,
        occurredAt: Timestamp
    ) {
        self.conversationId = conversationId
        self.messageId = messageId
        self.flaggedBy = flaggedBy
        self.reason = reason
        self.source = source
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .messageFlagged(self) }
}

extension MessageFlagged: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?
        var messageId: String?
        var flaggedBy: String?
        var reason: FlagReason?
        var source: FlagSource?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "messageId": messageId = try reader.read()
            case "flaggedBy": flaggedBy = try reader.read()
            case "reason": reason = try reader.read()
            case "source": source = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            messageId: try reader.required(messageId, "messageId"),
            flaggedBy: try reader.required(flaggedBy, "flaggedBy"),
            reason: try reader.required(reason, "reason"),
            source: try reader.required(source, "source"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("messageId", self.messageId)
        writer.field("flaggedBy", self.flaggedBy)
        writer.field("reason", self.reason)
        writer.field("source", self.source)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
