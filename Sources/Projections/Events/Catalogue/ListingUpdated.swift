public import EventLog

/// A vendor changed a listing's title or price; stored in the vendor's stream.
///
/// Stream: `user-<id>`. Schema: `schemas/events/ListingUpdated.v1.json`.
public struct ListingUpdated: DomainEventPayload {
    public static let eventType = "ListingUpdated"
    public static let schemaVersion = 1

    /// The listing.
    public var listingId: String
    /// The vendor who owns it.
    public var vendorId: String
    /// Its title now.
    public var title: String
    /// Its price now, in cents.
    public var priceCents: Int64
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        listingId: String,
        vendorId: String,
        title: String,
        priceCents: Int64,
        occurredAt: Timestamp
    ) {
        self.listingId = listingId
        self.vendorId = vendorId
        self.title = title
        self.priceCents = priceCents
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .listingUpdated(self) }
}

extension ListingUpdated: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var listingId: String?
        var vendorId: String?
        var title: String?
        var priceCents: Int64?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "listingId": listingId = try reader.read()
            case "vendorId": vendorId = try reader.read()
            case "title": title = try reader.read()
            case "priceCents": priceCents = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            listingId: try reader.required(listingId, "listingId"),
            vendorId: try reader.required(vendorId, "vendorId"),
            title: try reader.required(title, "title"),
            priceCents: try reader.required(priceCents, "priceCents"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("listingId", self.listingId)
        writer.field("vendorId", self.vendorId)
        writer.field("title", self.title)
        writer.field("priceCents", self.priceCents)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
