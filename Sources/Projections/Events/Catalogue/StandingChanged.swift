public import EventLog
public import Moderation

/// A user's moderation standing changed: an automatic escalation after repeated attempts to take
/// a deal off the platform, or a staff decision (warn, hold, restrict, suspend, restore).
///
/// Stream: `user-<id>`. Schema: `schemas/events/StandingChanged.v1.json`.
public struct StandingChanged: DomainEventPayload {
    public static let eventType = "StandingChanged"
    public static let schemaVersion = 1

    /// The user whose standing changed; the event is in this user's stream.
    public var userId: String
    /// The standing from now on.
    public var standing: Standing
    /// Who decided: a detector's escalation or a staff member.
    public var source: StandingSource
    /// The staff member, for staff decisions.
    public var staffId: String?
    /// How many contact or payment attempts the sender had made when an automatic step was taken.
    public var attempts: Int?
    /// The conversation and message that led to the change, if one did.
    public var conversationId: String?
    /// See ``conversationId``.
    public var messageId: String?
    /// Why, in words the user can read (EU Digital Services Act, Article 17); recorded for staff
    /// only when the standing is a shadow restriction.
    public var statementOfReasons: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        userId: String, standing: Standing, source: StandingSource, staffId: String? = nil, attempts: Int? = nil,
        conversationId: String? = nil, messageId: String? = nil, statementOfReasons: String, occurredAt: Timestamp
    ) {
        self.userId = userId
        self.standing = standing
        self.source = source
        self.staffId = staffId
        self.attempts = attempts
        self.conversationId = conversationId
        self.messageId = messageId
        self.statementOfReasons = statementOfReasons
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .standingChanged(self) }
}

extension StandingChanged: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var userId: String?
        var standing: Standing?
        var source: StandingSource?
        var staffId: String?
        var attempts: Int?
        var conversationId: String?
        var messageId: String?
        var statementOfReasons: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "userId": userId = try reader.read()
            case "standing": standing = try reader.read()
            case "source": source = try reader.read()
            case "staffId": staffId = try reader.readOptional()
            case "attempts": attempts = try reader.readOptional()
            case "conversationId": conversationId = try reader.readOptional()
            case "messageId": messageId = try reader.readOptional()
            case "statementOfReasons": statementOfReasons = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "userId"),
            standing: try reader.required(standing, "standing"),
            source: try reader.required(source, "source"),
            staffId: staffId, attempts: attempts, conversationId: conversationId, messageId: messageId,
            statementOfReasons: try reader.required(statementOfReasons, "statementOfReasons"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("userId", self.userId)
        writer.field("standing", self.standing)
        writer.field("source", self.source)
        writer.field("staffId", self.staffId)
        writer.field("attempts", self.attempts)
        writer.field("conversationId", self.conversationId)
        writer.field("messageId", self.messageId)
        writer.field("statementOfReasons", self.statementOfReasons)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
