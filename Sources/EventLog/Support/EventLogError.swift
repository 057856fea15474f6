/// An error of the event log: a stable ``Code`` and a message that says what was wrong and what to do.
public struct EventLogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of error this is; stable, so callers and APIs can map it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case wrongExpectedVersion, payloadTooLarge, emptyAppend, invalidStreamName, invalidEvent
            case duplicateIdempotencyKey, idempotencyKeyReused, corruptEvent, unavailable, database
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A stream was not at the version the append expected; nothing was written.
        public static let wrongExpectedVersion = Code(.wrongExpectedVersion)
        /// An event's payload is over the configured limit; nothing was written.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// The append held no events; nothing was written.
        public static let emptyAppend = Code(.emptyAppend)
        /// A stream name is malformed; nothing was written.
        public static let invalidStreamName = Code(.invalidStreamName)
        /// An event's type, schema version, metadata or key is malformed; nothing was written.
        public static let invalidEvent = Code(.invalidEvent)
        /// One append holds the same idempotency key twice, or holds some events already in the log
        /// and some not; nothing was written.
        public static let duplicateIdempotencyKey = Code(.duplicateIdempotencyKey)
        /// An idempotency key already in the log names an event of another stream or type; nothing was written.
        public static let idempotencyKeyReused = Code(.idempotencyKeyReused)
        /// A stored event cannot be decoded (unknown codec or dictionary, or a damaged block).
        public static let corruptEvent = Code(.corruptEvent)
        /// The log is shutting down or was not started.
        public static let unavailable = Code(.unavailable)
        /// PostgreSQL failed; whether anything was written is told by the message (a failed commit writes nothing).
        public static let database = Code(.database)

        public var description: String { self.base.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// What was wrong and what to do about it.
    public let message: String
    /// For `.wrongExpectedVersion`: the stream and its actual version.
    public let actualVersion: (stream: StreamName, version: Int)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, actualVersion: (stream: StreamName, version: Int)? = nil) {
        self.code = code
        self.message = message
        self.actualVersion = actualVersion
    }

    public var description: String { "\(self.code): \(self.message)" }

    public static func == (lhs: EventLogError, rhs: EventLogError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.message)
    }
}
