import EventLog
import Projections

/// Builds event sequences as the log would hold them: positions from 1, stream versions per stream.
struct Fixture {
    private(set) var events: [ProjectedEvent] = []
    private var versions: [StreamName: Int] = [:]

    /// Appends an event and returns it as projected.
    @discardableResult
    mutating func add(_ event: DomainEvent) -> ProjectedEvent {
        let stream = try! event.stream()
        self.versions[stream, default: 0] += 1
        let projected = ProjectedEvent(
            position: Int64(self.events.count + 1), stream: stream, streamVersion: self.versions[stream]!,
            recordedAt: Timestamp(microseconds: event.occurredAt.microseconds + 1_000), event: event)
        self.events.append(projected)
        return projected
    }

    /// A UTC time given as `2026-03-01T10:00:00Z`.
    static func at(_ text: String) -> Timestamp {
        guard let timestamp = Timestamp(rfc3339: text) else { fatalError("bad fixture time \(text)") }
        return timestamp
    }

    static func started(_ c: String, buyer: String, vendor: String, subject: ConversationSubject = .general, at: String) -> DomainEvent {
        .conversationStarted(ConversationStarted(conversationId: c, buyerId: buyer, vendorId: vendor, startedBy: buyer, subject: subject, occurredAt: Self.at(at)))
    }

    static func sent(_ c: String, _ m: String, by sender: String, _ text: String = "hello", automated: Bool = false, at: String) -> DomainEvent {
        .messageSent(MessageSent(
            conversationId: c, messageId: m, clientMessageId: "client-\(m)", senderId: sender, text: text, automated: automated,
            occurredAt: Self.at(at)))
    }

    static func delivered(_ c: String, to recipient: String, upTo m: String, at: String) -> DomainEvent {
        .messageDelivered(MessageDelivered(conversationId: c, recipientId: recipient, upToMessageId: m, occurredAt: Self.at(at)))
    }

    static func read(_ c: String, by reader: String, upTo m: String, at: String) -> DomainEvent {
        .messageRead(MessageRead(conversationId: c, readerId: reader, upToMessageId: m, occurredAt: Self.at(at)))
    }

    static func flagged(_ c: String, _ m: String, reason: FlagReason, at: String) -> DomainEvent {
        .messageFlagged(MessageFlagged(conversationId: c, messageId: m, flaggedBy: "detector", reason: reason, source: .automatic, occurredAt: Self.at(at)))
    }

    static func redacted(_ c: String, _ m: String, at: String) -> DomainEvent {
        .messageRedacted(MessageRedacted(conversationId: c, messageId: m, staffId: "s-1", reason: "off-platform contact", occurredAt: Self.at(at)))
    }

    static func order(_ o: String, _ state: OrderState, buyer: String = "b", vendor: String = "v", at: String) -> DomainEvent {
        .orderStateChanged(OrderStateChanged(orderId: o, buyerId: buyer, vendorId: vendor, state: state, occurredAt: Self.at(at)))
    }
}
