public import EventLog

/// A vendor deleted a reply template.
///
/// Stream: `user-<id>`. Schema: `schemas/events/ReplyTemplateDeleted.v1.json`.
public struct ReplyTemplateDeleted: DomainEventPayload {
    public static let eventType = "ReplyTemplateDeleted"
    public static let schemaVersion = 1

    /// The vendor; the event is in this user's stream.
    public var vendorId: String
    /// The template deleted.
    public var templateId: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(vendorId: String, templateId: String, occurredAt: Timestamp) {
        self.vendorId = vendorId
        self.templateId = templateId
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .replyTemplateDeleted(self) }
}

extension ReplyTemplateDeleted: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var vendorId: String?
        var templateId: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "vendorId": vendorId = try reader.read()
            case "templateId": templateId = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            vendorId: try reader.required(vendorId, "vendorId"),
            templateId: try reader.required(templateId, "templateId"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("vendorId", self.vendorId)
        writer.field("templateId", self.templateId)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
