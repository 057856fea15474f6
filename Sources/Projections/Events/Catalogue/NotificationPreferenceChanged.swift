public import EventLog

/// A user turned one category of notification on or off on one channel.
///
/// Stream: `user-<id>`. Schema: `schemas/events/NotificationPreferenceChanged.v1.json`.
public struct NotificationPreferenceChanged: DomainEventPayload {
    public static let eventType = "NotificationPreferenceChanged"
    public static let schemaVersion = 1

    /// The user.
    public var userId: String
    /// The channel.
    public var channel: NotificationChannel
    /// The category.
    public var category: NotificationCategory
    /// Whether notifications of this category now go out on this channel.
    public var enabled: Bool
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        userId: String,
        channel: NotificationChannel,
        category: NotificationCategory,
        enabled: Bool,
        occurredAt: Timestamp
    ) {
        self.userId = userId
        self.channel = channel
        self.category = category
        self.enabled = enabled
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .notificationPreferenceChanged(self) }
}

extension NotificationPreferenceChanged: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var userId: String?
        var channel: NotificationChannel?
        var category: NotificationCategory?
        var enabled: Bool?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "userId": userId = try reader.read()
            case "channel": channel = try reader.read()
            case "category": category = try reader.read()
            case "enabled": enabled = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "userId"),
            channel: try reader.required(channel, "channel"),
            category: try reader.required(category, "category"),
            enabled: try reader.required(enabled, "enabled"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("userId", self.userId)
        writer.field("channel", self.channel)
        writer.field("category", self.category)
        writer.field("enabled", self.enabled)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
