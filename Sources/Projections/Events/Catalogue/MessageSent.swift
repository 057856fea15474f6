public import EventLog

/// A participant sent a message in a conversation.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/MessageSent.v3.json`.
public struct MessageSent: DomainEventPayload {
    public static let eventType = "MessageSent"
    public static let schemaVersion = 3

    /// The conversation.
    public var conversationId: String
    /// The message's id, unique in the conversation; receipts refer to it.
    public var messageId: String
    /// The id the sending client chose, for deduplicating retries.
    public var clientMessageId: String
    /// Who sent it.
    public var senderId: String
    /// What it says; may be empty when an attachment carries the content.
    public var text: String
    /// A file sent with the message, if any.
    public var attachment: Attachment?
    /// The id of the reply template the text came from, if any.
    public var templateUsed: String?
    /// Sent by an automation (auto-reply, bot) rather than typed by a person; added in version 2, and version 1 reads as `false`.
    public var automated: Bool
    /// Why the message is kept from the recipient, if it is (held for review, or shadow-restricted);
    /// added in version 3, and earlier versions read as nil (delivered).
    public var withheld: Withholding?
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        conversationId: String,
        messageId: String,
        clientMessageId: String,
        senderId: String,
        text: String,
        attachment: Attachment? = nil,
        templateUsed: String? = nil,
        automated: Bool,
        withheld: Withholding? = nil,
        occurredAt: Timestamp
    ) {
        self.conversationId = conversationId
        self.messageId = messageId
        self.clientMessageId = clientMessageId
        self.senderId = senderId
        self.text = text
        self.attachment = attachment
        self.templateUsed = templateUsed
        self.automated = automated
        self.withheld = withheld
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .messageSent(self) }
}

extension MessageSent: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?
        var messageId: String?
        var clientMessageId: String?
        var senderId: String?
        var text: String?
        var attachment: Attachment?
        var templateUsed: String?
        var automated: Bool?
        var withheld: Withholding?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case "messageId": messageId = try reader.read()
            case "clientMessageId": clientMessageId = try reader.read()
            case "senderId": senderId = try reader.read()
            case "text": text = try reader.read()
            case "attachment": attachment = try reader.readOptional()
            case "templateUsed": templateUsed = try reader.readOptional()
            case "automated": automated = try reader.read()
            case "withheld": withheld = try reader.readOptional()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            messageId: try reader.required(messageId, "messageId"),
            clientMessageId: try reader.required(clientMessageId, "clientMessageId"),
            senderId: try reader.required(senderId, "senderId"),
            text: try reader.required(text, "text"),
            attachment: attachment,
            templateUsed: templateUsed,
            automated: try reader.required(automated, "automated"),
            withheld: withheld,
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field("messageId", self.messageId)
        writer.field("clientMessageId", self.clientMessageId)
        writer.field("senderId", self.senderId)
        writer.field("text", self.text)
        writer.field("attachment", self.attachment)
        writer.field("templateUsed", self.templateUsed)
        writer.field("automated", self.automated)
        writer.field("withheld", self.withheld)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
