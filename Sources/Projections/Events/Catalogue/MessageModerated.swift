public import EventLog
public import Moderation

/// The moderation pipeline examined a message before it was stored and found something: what it
/// found, what it did, and why. Messages in which nothing was found leave no such event.
///
/// Recorded in the same append as the message (for every action but `bounce`, where no message is
/// stored), so the decision and what it decided about are committed together. The sender sees the
/// event with its statement of reasons; the counterpart does not. Stream: `conversation-<id>`.
/// Schema: `schemas/events/MessageModerated.v1.json`.
public struct MessageModerated: DomainEventPayload {
    public static let eventType = "MessageModerated"
    public static let schemaVersion = 1

    /// The conversation.
    public var conversationId: String
    /// The message's id: of the message stored, or of the one refused for `bounce`.
    public var messageId: String
    /// The id the sending client chose.
    public var clientMessageId: String
    /// Who sent it.
    public var senderId: String
    /// What the pipeline did.
    public var action: ModerationAction
    /// Every match, in text order, with its rule, span (UTF-16), confidence and normalised value.
    public var matches: [ModerationMatch]
    /// The highest match confidence.
    public var confidence: Double
    /// Whether an order linked buyer and vendor when the message was examined (the context the policy decided in).
    public var orderExists: Bool
    /// The text as the sender wrote it, when it was not stored as written (`mask`, `bounce`).
    public var originalText: String?
    /// Why, in words the sender can read (EU Digital Services Act, Article 17).
    public var statementOfReasons: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        conversationId: String, messageId: String, clientMessageId: String, senderId: String, action: ModerationAction,
        matches: [ModerationMatch], confidence: Double, orderExists: Bool, originalText: String? = nil,
        statementOfReasons: String, occurredAt: Timestamp
    ) {
        self.conversationId = conversationId
        self.messageId = messageId
        self.clientMessageId = clientMessageId
        self.senderId = senderId
        self.action = action
        self.matches = matches
        self.confidence = confidence
        self.orderExists = orderExists
        self.originalText = originalText
        self.statementOfReasons = statementOfReasons
        self.occurredAt = occurredAt
    }

    /// The event recording `decision` about a message.
    public init(_ decision: ModerationDecision, about message: MessageSent, originalText: String?, orderExists: Bool) {
        self.init(
            conversationId: message.conversationId, messageId: message.messageId, clientMessageId: message.clientMessageId,
            senderId: message.senderId, action: decision.action, matches: decision.matches, confidence: decision.confidence,
            orderExists: orderExists, originalText: originalText, statementOfReasons: decision.statementOfReasons,
            occurredAt: message.occurredAt)
    }

    /// The classes found, in `ContactClass` order, without repeats.
    public var classes: [ContactClass] {
        ContactClass.allCases.filter { contactClass in self.matches.contains { $0.contactClass == contactClass } }
    }

    public var domainEvent: DomainEvent { .messageModerated(self) }
}

extension MessageModerated: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?, messageId: String?, clientMessageId: String?, senderId: String?
        var action: ModerationAction?, matches: [ModerationMatch]?, confidence: Double?, orderExists: Bool?
        var originalText: String?, statementOfReasons: String?, occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "messageId": messageId = try reader.read()
            case "clientMessageId": clientMessageId = try reader.read()
            case "senderId": senderId = try reader.read()
            case "action": action = try reader.read()
            case "matches": matches = try reader.read()
            case "confidence": confidence = try reader.read()
            case "orderExists": orderExists = try reader.read()
            case "originalText": originalText = try reader.readOptional()
            case "statementOfReasons": statementOfReasons = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            messageId: try reader.required(messageId, "messageId"),
            clientMessageId: try reader.required(clientMessageId, "clientMessageId"),
            senderId: try reader.required(senderId, "senderId"),
            action: try reader.required(action, "action"),
            matches: try reader.required(matches, "matches"),
            confidence: try reader.required(confidence, "confidence"),
            orderExists: try reader.required(orderExists, "orderExists"),
            originalText: originalText,
            statementOfReasons: try reader.required(statementOfReasons, "statementOfReasons"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("messageId", self.messageId)
        writer.field("clientMessageId", self.clientMessageId)
        writer.field("senderId", self.senderId)
        writer.field("action", self.action)
        writer.field("matches", self.matches)
        writer.field("confidence", self.confidence)
        writer.field("orderExists", self.orderExists)
        writer.field("originalText", self.originalText)
        writer.field("statementOfReasons", self.statementOfReasons)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
