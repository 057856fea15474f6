public import EventLog

/// A user's profile now reads as given: every field is the full new value.
///
/// Stream: `user-<id>`. Schema: `schemas/events/UserProfileUpdated.v1.json`.
public struct UserProfileUpdated: DomainEventPayload {
    public static let eventType = "UserProfileUpdated"
    public static let schemaVersion = 1

    /// The user.
    public var userId: String
    /// The name others see.
    public var displayName: String
    /// What the user is on the marketplace.
    public var role: UserRole
    /// The user's IANA time zone, if known.
    public var timeZone: String?
    /// The user's email address, if known.
    public var email: String?
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(
        userId: String,
        displayName: String,
        role: UserRole,
        timeZone: String? = nil,
        email: String? = nil,
        occurredAt: Timestamp
    ) {
        self.userId = userId
        self.displayName = displayName
        self.role = role
        self.timeZone = timeZone
        self.email = email
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .userProfileUpdated(self) }
}

extension UserProfileUpdated: CataloguedEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var userId: String?
        var displayName: String?
        var role: UserRole?
        var timeZone: String?
        var email: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "userId": userId = try reader.read()
            case "displayName": displayName = try reader.read()
            case "role": role = try reader.read()
            case "timeZone": timeZone = try reader.readOptional()
            case "email": email = try reader.readOptional()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "userId"),
            displayName: try reader.required(displayName, "displayName"),
            role: try reader.required(role, "role"),
            timeZone: timeZone,
            email: email,
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("userId", self.userId)
        writer.field("displayName", self.displayName)
        writer.field("role", self.role)
        writer.field("timeZone", self.timeZone)
        writer.field("email", self.email)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
