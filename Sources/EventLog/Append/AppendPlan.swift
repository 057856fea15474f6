import Foundation

/// An event ready for the log but for its place: encoded, compressed, its type interned.
struct PreparedEvent: Sendable {
    var type: String
    var schemaVersion: Int
    var typeID: Int16
    var rawBody: [UInt8]
    var stored: StoredBody
    var keyDigest: UUID?
}

/// A request whose events are prepared.
struct PreparedRequest: Sendable {
    struct Part: Sendable {
        var stream: StreamName
        var expectedVersion: ExpectedVersion
        var events: [PreparedEvent]
    }

    var parts: [Part]
}

/// What the log holds, read under the sequencer lock.
struct LockedState: Sendable {
    /// An event already in the log that holds an idempotency key of the batch.
    struct KeyedEvent: Sendable {
        var position: Int64
        var stream: String
        var streamVersion: Int
        var typeID: Int16
    }

    var headPosition: Int64
    var headHash: [UInt8]
    var dictionaryID: Int16?
    var streamVersions: [String: Int]
    var keyedEvents: [UUID: KeyedEvent]
}

/// One row to insert.
struct PlannedRow: Sendable {
    var position: Int64
    var stream: String
    var streamVersion: Int
    var typeID: Int16
    var codec: BodyCodec
    var dictionaryID: Int16?
    var keyDigest: UUID?
    var hash: [UInt8]
    var body: [UInt8]
}

/// The outcome of planning a batch: each request's result, and the rows, stream versions and head to write.
struct AppendPlan: Sendable {
    var outcomes: [Result<AppendResult, EventLogError>]
    var rows: [PlannedRow]
    /// Every stream the rows touch, with its category and new version.
    var streams: [(name: String, category: String, version: Int)]
    var headPosition: Int64
    var headHash: [UInt8]
    var recordedAt: Timestamp
    /// The dictionary the log's writers should use now.
    var dictionaryID: Int16?

    /// Plans a batch: decides each request in order against what the log holds (and what earlier
    /// requests of the same batch append), places the events densely after the head, and chains
    /// their hashes. Pure: no I/O, no clock.
    init(requests: [PreparedRequest], state: LockedState, recordedAt: Timestamp) {
        self.outcomes = []
        self.rows = []
        self.streams = []
        self.recordedAt = recordedAt
        self.dictionaryID = state.dictionaryID
        var position = state.headPosition
        var hash = state.headHash
        var versions = state.streamVersions
        var keyed = state.keyedEvents
        var categories: [String: String] = [:]

        for request in requests {
            if let outcome = Self.duplicateOutcome(request, keyed: keyed) {
                self.outcomes.append(outcome)
                continue
            }
            if let conflict = Self.versionConflict(request, versions: versions) {
                self.outcomes.append(.failure(conflict))
                continue
            }
            var appended: [AppendResult.Appended] = []
            for part in request.parts {
                let name = part.stream.description
                var version = versions[name] ?? 0
                categories[name] = part.stream.category
                for event in part.events {
                    position += 1
                    version += 1
                    hash = event.rawBody.withUnsafeBytes { body in
                        EventHash.compute(
                            previous: hash, position: position, stream: name, streamVersion: version, type: event.type,
                            schemaVersion: event.schemaVersion, recordedAt: recordedAt, rawBody: body)
                    }
                    self.rows.append(
                        PlannedRow(
                            position: position, stream: name, streamVersion: version, typeID: event.typeID,
                            codec: event.stored.codec, dictionaryID: event.stored.dictionaryID, keyDigest: event.keyDigest,
                            hash: hash, body: event.stored.bytes))
                    if let digest = event.keyDigest {
                        keyed[digest] = LockedState.KeyedEvent(
                            position: position, stream: name, streamVersion: version, typeID: event.typeID)
                    }
                    appended.append(AppendResult.Appended(position: position, stream: part.stream, streamVersion: version))
                }
                versions[name] = version
            }
            self.outcomes.append(.success(AppendResult(events: appended, deduplicated: false)))
        }
        self.streams = categories.keys.sorted().map { ($0, categories[$0]!, versions[$0]!) }
        self.headPosition = position
        self.headHash = hash
    }

    /// A retry's result (every event already in the log), an error for a partial or mismatched
    /// match, or nil when no event of the request is in the log.
    private static func duplicateOutcome(
        _ request: PreparedRequest, keyed: [UUID: LockedState.KeyedEvent]
    ) -> Result<AppendResult, EventLogError>? {
        var originals: [AppendResult.Appended] = []
        var missing = 0
        for part in request.parts {
            for event in part.events {
                guard let digest = event.keyDigest, let original = keyed[digest] else {
                    missing += 1
                    continue
                }
                guard original.stream == part.stream.description, original.typeID == event.typeID else {
                    return .failure(
                        EventLogError(
                            .idempotencyKeyReused,
                            "an idempotency key of this \(event.type) already names event \(original.position) of \(original.stream); use a new key"))
                }
                originals.append(AppendResult.Appended(position: original.position, stream: part.stream, streamVersion: original.streamVersion))
            }
        }
        if originals.isEmpty { return nil }
        guard missing == 0 else {
            return .failure(
                EventLogError(
                    .duplicateIdempotencyKey,
                    "\(originals.count) events of this append are already in the log and \(missing) are not; retry the original append unchanged"))
        }
        return .success(AppendResult(events: originals, deduplicated: true))
    }

    private static func versionConflict(_ request: PreparedRequest, versions: [String: Int]) -> EventLogError? {
        for part in request.parts {
            let actual = versions[part.stream.description] ?? 0
            guard part.expectedVersion.admits(actual) else {
                let expected: String = switch part.expectedVersion {
                case .any: "any version"
                case .noStream: "no stream"
                case .exactly(let version): "version \(version)"
                }
                return EventLogError(
                    .wrongExpectedVersion,
                    "\(part.stream) is at version \(actual), not \(expected); read it again and retry",
                    actualVersion: (part.stream, actual))
            }
        }
        return nil
    }
}
