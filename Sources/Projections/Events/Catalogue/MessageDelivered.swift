public import EventLog

/// A recipient's device received every message of a conversation up to and including one: a watermark.
///
/// Stream: `conversation-<id>`. Schema: `schemas/events/MessageDelivered.v1.json`.
public struct MessageDelivered: DomainEventPayload {
    public static let eventType = "MessageDelivered"
    public static let schemaVersion = 1

    /// The conversation.
    public var conversationId: String
    /// Who received the messages.
    public var recipientId: String
    /// The newest message received; every earlier one counts as received too.
    public var upToMessageId: String
    /// When it happened in the domain (not when the log recorded it).
    public var occurredAt: Timestamp

    /// Creates the event.
    public init(conversationId: String, recipientId: String, upToMessageId: String, occurredAt: Timestamp) {
        self.conversationId = conversationId
        self.recipientId = recipientId
        self.upToMessageId = upToMessageId
        self.occurredAt = occurredAt
    }

    public var domainEvent: DomainEvent { .messageDelivered(self) }
}

extension MessageDelivered: WatermarkEvent {
    static let participantKey: StaticString = "recipientId"
    var participantId: String { self.recipientId }

    init(conversationId: String, participantId: String, upToMessageId: String, occurredAt: Timestamp) {
        self.init(conversationId: conversationId, recipientId: participantId, upToMessageId: upToMessageId, occurredAt: occurredAt)
    }
}
