/// What a conversation is about, with a snapshot of the listing or order for context cards.
public struct ConversationSubject: Codable, Hashable, Sendable {
    /// The kinds of subject.
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
        /// A listing the buyer asks about.
        case listing
        /// An order the buyer placed.
        case order
        /// Anything else.
        case general
    }

    /// What kind of subject this is.
    public var kind: Kind
    /// The listing's id, for `.listing`.
    public var listingId: String?
    /// The order's id, for `.order`.
    public var orderId: String?
    /// The listing's (or the ordered item's) title when the conversation started.
    public var title: String?
    /// The listing's price in cents when the conversation started, for `.listing`.
    public var priceCents: Int64?

    /// A conversation about a listing, with its title and price at the time.
    public static func listing(id: String, title: String, priceCents: Int64) -> ConversationSubject {
        ConversationSubject(kind: .listing, listingId: id, title: title, priceCents: priceCents)
    }

    /// A conversation about an order, with the ordered item's title if known.
    public static func order(id: String, title: String? = nil) -> ConversationSubject {
        ConversationSubject(kind: .order, orderId: id, title: title)
    }

    /// A conversation about nothing in particular.
    public static let general = ConversationSubject(kind: .general)

    /// Creates a subject; prefer ``listing(id:title:priceCents:)``, ``order(id:title:)`` and ``general``.
    public init(kind: Kind, listingId: String? = nil, orderId: String? = nil, title: String? = nil, priceCents: Int64? = nil) {
        self.kind = kind
        self.listingId = listingId
        self.orderId = orderId
        self.title = title
        self.priceCents = priceCents
    }
}

extension ConversationSubject: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        var kind: Kind?
        self.init(kind: .general)
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "kind": kind = try reader.read()
            case "listingId": self.listingId = try reader.readOptional()
            case "orderId": self.orderId = try reader.readOptional()
            case "title": self.title = try reader.readOptional()
            case "priceCents": self.priceCents = try reader.readOptional()
            default: try reader.skipValue()
            }
        }
        self.kind = try reader.required(kind, "kind")
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("kind", self.kind)
        writer.field("listingId", self.listingId)
        writer.field("orderId", self.orderId)
        writer.field("title", self.title)
        writer.field("priceCents", self.priceCents)
        writer.endObject()
    }
}
