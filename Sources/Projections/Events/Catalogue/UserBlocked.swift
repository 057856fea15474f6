public import EventLog

/// A user blocked another: the blocked user can no longer message them.
///
/// Stream: `user-<id>`. Schema: `schemas/events/UserBlocked.v1.json`.
public struct UserBlocked: DomainEventPayload {
    public static let eventType = "UserBlocked"
    public static let schemaVersion = 1

    /// Who blocked; the event is in this user's stream.
    public var blockerId: String
    /// Who was blocked.
    public var blockedId: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(blockerId: String, blockedId: String, occurredAt: Timestamp) {
        self.blockerId = blockerId
        self.blockedId = blockedId
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .userBlocked(self) }
}

extension UserBlocked: UserPairEvent {}
