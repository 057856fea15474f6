/// An event as the log holds it: its place in the log and in its stream, and everything it was appended with.
public struct RecordedEvent: Hashable, Sendable {
    /// The event's global position: dense from 1, in commit order.
    public var position: Int64
    /// The stream the event belongs to.
    public var stream: StreamName
    /// The event's version within its stream: dense from 1.
    public var streamVersion: Int
    /// The event's type.
    public var type: String
    /// The version of the body's schema.
    public var schemaVersion: Int
    /// When the log recorded the event.
    public var recordedAt: Timestamp
    /// The event's idempotency key, if it was appended with one.
    public var idempotencyKey: String?
    /// Who caused the event and what it belongs to.
    public var metadata: EventMetadata
    /// The event body: JSON bytes.
    public var payload: [UInt8]
    /// SHA-256 over this event's envelope and payload and the previous event's hash.
    public var hash: [UInt8]

    /// Creates a recorded event; the log makes these, tests and tools may too.
    public init(
        position: Int64, stream: StreamName, streamVersion: Int, type: String, schemaVersion: Int,
        recordedAt: Timestamp, idempotencyKey: String?, metadata: EventMetadata, payload: [UInt8], hash: [UInt8]
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.idempotencyKey = idempotencyKey
        self.metadata = metadata
        self.payload = payload
        self.hash = hash
    }
}
