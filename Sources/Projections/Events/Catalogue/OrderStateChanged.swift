public import EventLog

/// An order moved to a new state.
///
/// Stream: `order-<id>`. Schema: `schemas/events/OrderStateChanged.v1.json`.
public struct OrderStateChanged: DomainEventPayload {
    public static let eventType = "OrderStateChanged"
    public static let schemaVersion = 1

    /// The order; its stream is `order-<id>`.
    public var orderId: String
    /// The buyer.
    public var buyerId: String
    /// The vendor.
    public var vendorId: String
    /// The state it is in now.
    public var state: OrderState
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        orderId: String,
        buyerId: String,
        vendorId: String,
        state: OrderState,
        occurredAt: Timestamp
    ) {
        self.orderId = orderId
        self.buyerId = buyerId
        self.vendorId = vendorId
        self.state = state
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .orderStateChanged(self) }
}

extension OrderStateChanged: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var orderId: String?
        var buyerId: String?
        var vendorId: String?
        var state: OrderState?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "orderId": orderId = try reader.read()
            case "buyerId": buyerId = try reader.read()
            case "vendorId": vendorId = try reader.read()
            case "state": state = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            orderId: try reader.required(orderId, "orderId"),
            buyerId: try reader.required(buyerId, "buyerId"),
            vendorId: try reader.required(vendorId, "vendorId"),
            state: try reader.required(state, "state"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("orderId", self.orderId)
        writer.field("buyerId", self.buyerId)
        writer.field("vendorId", self.vendorId)
        writer.field("state", self.state)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
