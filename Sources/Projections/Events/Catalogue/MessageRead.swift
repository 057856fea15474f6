public import EventLog

/// A reader saw every message of a conversation up to and including one: a watermark. Reading implies delivery.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/MessageRead.v1.json`.
public struct MessageRead: DomainEventPayload {
    public static let eventType = "MessageRead"
    public static let schemaVersion = 1

    /// The conversation.
    public var conversationId: String
    /// Who read the messages.
    public var readerId: String
    /// The newest message read; every earlier one counts as read too.
    public var upToMessageId: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(conversationId: String, readerId: String, upToMessageId: String, occurredAt: Timestamp) {
        self.conversationId = conversationId
        self.readerId = readerId
        self.upToMessageId = upToMessageId
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .messageRead(self) }
}

extension MessageRead: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?
        var readerId: String?
        var upToMessageId: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "readerId": readerId = try reader.read()
            case "upToMessageId": upToMessageId = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            readerId: try reader.required(readerId, "readerId"),
            upToMessageId: try reader.required(upToMessageId, "upToMessageId"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("readerId", self.readerId)
        writer.field("upToMessageId", self.upToMessageId)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
