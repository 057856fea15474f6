/// An error of the event catalogue or the corpus mapping: a stable ``Code`` and a message that says what was wrong and what to do.
public struct ProjectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of error this is; stable, so callers and APIs can map it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownEventType, unsupportedSchemaVersion, invalidPayload, invalidCorpusAction
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The event's type is not in the catalogue.
        public static let unknownEventType = Code(.unknownEventType)
        /// The event's schema version is newer than this build knows, or no upcaster leads from it
        /// to the current version.
        public static let unsupportedSchemaVersion = Code(.unsupportedSchemaVersion)
        /// The payload is not valid JSON, or lacks a required field, or holds a value of the wrong kind.
        public static let invalidPayload = Code(.invalidPayload)
        /// A line of the corpus is not an action `scripts/corpus.py` writes.
        public static let invalidCorpusAction = Code(.invalidCorpusAction)

        public var description: String { self.base.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// What was wrong and what to do about it.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code): \(self.message)" }
}
