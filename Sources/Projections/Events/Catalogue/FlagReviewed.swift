public import EventLog

/// Staff reviewed a message the review queue held (a detector's decision or users' flags) and
/// decided; the statement of reasons is what the sender reads when the decision concerns them.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/FlagReviewed.v2.json`.
public struct FlagReviewed: DomainEventPayload {
    public static let eventType = "FlagReviewed"
    public static let schemaVersion = 2

    /// The conversation.
    public var conversationId: String
    /// The message reviewed.
    public var messageId: String
    /// Who sent it: the user the decision concerns.
    public var senderId: String
    /// The staff member who decided.
    public var staffId: String
    /// What they decided.
    public var decision: ReviewDecision
    /// Why, in words the sender can read (EU Digital Services Act, Article 17).
    public var statementOfReasons: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        conversationId: String, messageId: String, senderId: String, staffId: String, decision: ReviewDecision,
        statementOfReasons: String, occurredAt: Timestamp
    ) {
        self.conversationId = conversationId
        self.messageId = messageId
        self.senderId = senderId
        self.staffId = staffId
        self.decision = decision
        self.statementOfReasons = statementOfReasons
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .flagReviewed(self) }
}

extension FlagReviewed: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?, messageId: String?, senderId: String?, staffId: String?
        var decision: ReviewDecision?, statementOfReasons: String?, occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "messageId": messageId = try reader.read()
            case "senderId": senderId = try reader.read()
            case "staffId": staffId = try reader.read()
            case "decision": decision = try reader.read()
            case "statementOfReasons": statementOfReasons = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            messageId: try reader.required(messageId, "messageId"),
            senderId: try reader.required(senderId, "senderId"),
            staffId: try reader.required(staffId, "staffId"),
            decision: try reader.required(decision, "decision"),
            statementOfReasons: try reader.required(statementOfReasons, "statementOfReasons"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("messageId", self.messageId)
        writer.field("senderId", self.senderId)
        writer.field("staffId", self.staffId)
        writer.field("decision", self.decision)
        writer.field("statementOfReasons", self.statementOfReasons)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
