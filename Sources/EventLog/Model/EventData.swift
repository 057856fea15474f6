/// An event to append: its type, the schema version of its body, and the body's JSON bytes.
public struct EventData: Hashable, Sendable {
    /// The event's type, e.g. `MessageSent`: 1 to 100 bytes of ASCII letters, digits, `.`, `_` and `-`.
    public var type: String
    /// The version of the body's schema, from 1.
    public var schemaVersion: Int
    /// The event body: JSON bytes.
    public var payload: [UInt8]
    /// Who caused the event and what it belongs to.
    public var metadata: EventMetadata
    /// A key that makes the append idempotent: appending an event whose key is already in the log
    /// returns the original event's position instead of writing a second copy. Unique in the whole log.
    public var idempotencyKey: String?

    /// Creates an event to append.
    public init(
        type: String,
        schemaVersion: Int = 1,
        payload: [UInt8],
        metadata: EventMetadata = EventMetadata(),
        idempotencyKey: String? = nil
    ) {
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
    }
}
