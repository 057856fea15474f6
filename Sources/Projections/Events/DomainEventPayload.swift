public import EventLog

/// What every event type of the catalogue is: a value with a type name, a schema version and the
/// time it happened.
public protocol DomainEventPayload: Codable, Hashable, Sendable {
    /// The type name stored in the log, e.g. `MessageSent`.
    static var eventType: String { get }
    /// The current version of the type's JSON schema (`schemas/events/<type>.v<version>.json`).
    static var schemaVersion: Int { get }
    /// When it happened in the domain (not when the log recorded it).
    var occurredAt: Timestamp { get }
    /// The event wrapped in ``DomainEvent``.
    var domainEvent: DomainEvent { get }
}

/// An event type the fast JSON codec reads and writes.
protocol CataloguedEvent: DomainEventPayload, JSONField {}

extension CataloguedEvent {
    /// Reads one event of this type; a static entry point so decoding through the catalogue's
    /// metatypes does not box the value.
    static func readEvent(_ reader: inout JSONReader) throws(JSONError) -> DomainEvent {
        try Self(json: &reader).domainEvent
    }
}
