public import EventLog

/// A recipient's device received every message of a conversation up to and including one: a watermark.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/MessageDelivered.v1.json`.
public struct MessageDelivered: DomainEventPayload {
    public static let eventType = "MessageDelivered"
    public static let schemaVersion = 1

    /// The conversation.
    public var conversationId: String
    /// Who received the messages.
    public var recipientId: String
    /// The newest message received; every earlier one counts as received too.
    public var upToMessageId: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(conversationId: String, recipientId: String, upToMessageId: String, occurredAt: Timestamp) {
        self.conversationId = conversationId
        self.recipientId = recipientId
        self.upToMessageId = upToMessageId
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .messageDelivered(self) }
}

extension MessageDelivered: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?
        var recipientId: String?
        var upToMessageId: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "recipientId": recipientId = try reader.read()
            case "upToMessageId": upToMessageId = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            recipientId: try reader.required(recipientId, "recipientId"),
            upToMessageId: try reader.required(upToMessageId, "upToMessageId"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("recipientId", self.recipientId)
        writer.field("upToMessageId", self.upToMessageId)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
