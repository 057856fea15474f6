public import EventLog

/// A reader saw every message of a conversation up to and including one: a watermark. Reading implies delivery.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/MessageRead.v1.json`.
public struct MessageRead: DomainEventPayload {
    public static let eventType = "MessageRead"
    public static let schemaVersion = 1

    /// The conversation.
    public var conversationId: String
    /// Who read the messages.
    public var readerId: String
    /// The newest message read; every earlier one counts as read too.
    public var upToMessageId: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(conversationId: String, readerId: String, upToMessageId: String, occurredAt: Timestamp) {
        self.conversationId = conversationId
        self.readerId = readerId
        self.upToMessageId = upToMessageId
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .messageRead(self) }
}

extension MessageRead: WatermarkEvent {
    static let participantKey: StaticString = "readerId"
    var participantId: String { self.readerId }

    init(conversationId: String, participantId: String, upToMessageId: String, occurredAt: Timestamp) {
        self.init(conversationId: conversationId, readerId: participantId, upToMessageId: upToMessageId, occurredAt: occurredAt)
    }
}
