public import EventLog

/// A user set the hours in which they get no notifications.
///
/// Stream: `user-<id>`. Schema: `schemas/events/QuietHoursChanged.v1.json`.
public struct QuietHoursChanged: DomainEventPayload {
    public static let eventType = "QuietHoursChanged"
    public static let schemaVersion = 1

    /// The user.
    public var userId: String
    /// The IANA time zone the windows are in, e.g. `Europe/Lisbon`.
    public var timeZone: String
    /// The quiet windows; empty turns quiet hours off.
    public var windows: [QuietHoursWindow]
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(userId: String, timeZone: String, windows: [QuietHoursWindow], occurredAt: Timestamp) {
        self.userId = userId
        self.timeZone = timeZone
        self.windows = windows
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .quietHoursChanged(self) }
}

extension QuietHoursChanged: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var userId: String?
        var timeZone: String?
        var windows: [QuietHoursWindow]?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "userId": userId = try reader.read()
            case "timeZone": timeZone = try reader.read()
            case "windows": windows = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "userId"),
            timeZone: try reader.required(timeZone, "timeZone"),
            windows: try reader.required(windows, "windows"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("userId", self.userId)
        writer.field("timeZone", self.timeZone)
        writer.field("windows", self.windows)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
