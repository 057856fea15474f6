public import EventLog

/// An event as projections see it: the decoded domain event and its place in the log.
public struct ProjectedEvent: Hashable, Sendable {
    /// The event's global position in the log.
    public var position: Int64
    /// The stream it belongs to.
    public var stream: StreamName
    /// Its version within the stream.
    public var streamVersion: Int
    /// When the log recorded it (domain time is the event's `occurredAt`).
    public var recordedAt: Timestamp
    /// Who appended it, from the event's metadata (e.g. `user:u-1`), if recorded.
    public var actor: String?
    /// The domain event.
    public var event: DomainEvent

    /// Creates a projected event from its parts.
    public init(
        position: Int64, stream: StreamName, streamVersion: Int, recordedAt: Timestamp, actor: String? = nil,
        event: DomainEvent
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.actor = actor
        self.event = event
    }

    /// Decodes a recorded event's payload, upcasting older schema versions.
    /// - Throws: ``ProjectionError`` when the type is unknown, the version unreadable or the payload invalid.
    public init(_ recorded: RecordedEvent) throws(ProjectionError) {
        self.init(
            position: recorded.position, stream: recorded.stream, streamVersion: recorded.streamVersion,
            recordedAt: recorded.recordedAt, actor: recorded.metadata.actor,
            event: try DomainEvent.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload))
    }
}
