public import EventLog

/// A buyer and a vendor started a conversation about a listing, an order or nothing in particular.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/ConversationStarted.v1.json`.
public struct ConversationStarted: DomainEventPayload {
    public static let eventType = "ConversationStarted"
    public static let schemaVersion = 1

    /// The conversation's id; its stream is `conversation-<id>`.
    public var conversationId: String
    /// The buyer taking part.
    public var buyerId: String
    /// The vendor taking part.
    public var vendorId: String
    /// Who started it: the buyer, the vendor or a staff member.
    public var startedBy: String
    /// What it is about, with a snapshot for context cards.
    public var subject: ConversationSubject
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        conversationId: String,
        buyerId: String,
        vendorId: String,
        startedBy: String,
        subject: ConversationSubject,
        occurredAt: Timestamp
    ) {
        self.conversationId = conversationId
        self.buyerId = buyerId
        self.vendorId = vendorId
        self.startedBy = startedBy
        self.subject = subject
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .conversationStarted(self) }
}

extension ConversationStarted: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?
        var buyerId: String?
        var vendorId: String?
        var startedBy: String?
        var subject: ConversationSubject?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "buyerId": buyerId = try reader.read()
            case "vendorId": vendorId = try reader.read()
            case "startedBy": startedBy = try reader.read()
            case "subject": subject = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            buyerId: try reader.required(buyerId, "buyerId"),
            vendorId: try reader.required(vendorId, "vendorId"),
            startedBy: try reader.required(startedBy, "startedBy"),
            subject: try reader.required(subject, "subject"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("buyerId", self.buyerId)
        writer.field("vendorId", self.vendorId)
        writer.field("startedBy", self.startedBy)
        writer.field("subject", self.subject)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
