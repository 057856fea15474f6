public import EventLog

/// A user lifted a block.
///
/// Stream: `user-<id>`. Schema: `schemas/events/UserUnblocked.v1.json`.
public struct UserUnblocked: DomainEventPayload {
    public static let eventType = "UserUnblocked"
    public static let schemaVersion = 1

    /// Who had blocked; the event is in this user's stream.
    public var blockerId: String
    /// Who is no longer blocked.
    public var blockedId: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(blockerId: String, blockedId: String, occurredAt: Timestamp) {
        self.blockerId = blockerId
        self.blockedId = blockedId
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .userUnblocked(self) }
}

extension UserUnblocked: UserPairEvent {}
