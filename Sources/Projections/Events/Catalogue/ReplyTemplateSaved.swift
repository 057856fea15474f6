public import EventLog

/// A vendor saved (created or replaced) a reply template.
///
/// Stream: `user-<id>`. Schema: `schemas/events/ReplyTemplateSaved.v1.json`.
public struct ReplyTemplateSaved: DomainEventPayload {
    public static let eventType = "ReplyTemplateSaved"
    public static let schemaVersion = 1

    /// The vendor; the event is in this user's stream.
    public var vendorId: String
    /// The template's id, unique per vendor.
    public var templateId: String
    /// The template's name, e.g. `shipping`.
    public var name: String
    /// The template's text.
    public var text: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(vendorId: String, templateId: String, name: String, text: String, occurredAt: Timestamp) {
        self.vendorId = vendorId
        self.templateId = templateId
        self.name = name
        self.text = text
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .replyTemplateSaved(self) }
}

extension ReplyTemplateSaved: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var vendorId: String?
        var templateId: String?
        var name: String?
        var text: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "vendorId": vendorId = try reader.read()
            case "templateId": templateId = try reader.read()
            case "name": name = try reader.read()
            case "text": text = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            vendorId: try reader.required(vendorId, "vendorId"),
            templateId: try reader.required(templateId, "templateId"),
            name: try reader.required(name, "name"),
            text: try reader.required(text, "text"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("vendorId", self.vendorId)
        writer.field("templateId", self.templateId)
        writer.field("name", self.name)
        writer.field("text", self.text)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
