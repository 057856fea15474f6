/// An event ready for the log but for its place: encoded, compressed, digested, its type interned.
struct PreparedEvent: Sendable {
    var typeID: Int16
    var idempotencyKey: String?
    /// The first 8 bytes of SHA-256 of the key, as the index holds it.
    var keyDigest: Int64?
    /// ``EventHash/contentDigest(stream:type:schemaVersion:recordedAt:rawBody:)`` of the event.
    var contentDigest: [UInt8]
    /// The body as stored (codec header included).
    var stored: [UInt8]
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

/// What the log holds, read under the writer lock.
struct LockedState: Sendable {
    /// An event already in the log that holds an idempotency key of the batch.
    struct KeyedEvent: Sendable {
        var position: Int64
        var stream: String
        var streamVersion: Int
        var typeID: Int16
    }

    /// A stream the log knows.
    struct KnownStream: Sendable {
        var id: Int32
        var version: Int
    }

    var headPosition: Int64 = 0
    var headHash: [UInt8] = EventHash.genesis
    var dictionaryID: Int16?
    var streams: [String: KnownStream] = [:]
    /// By full idempotency key.
    var keyedEvents: [String: KeyedEvent] = [:]
}

/// One row to insert.
struct PlannedRow: Sendable {
    var position: Int64
    /// 0 for a stream the log does not know yet (the write inserts it).
    var streamID: Int32
    var stream: String
    var streamVersion: Int
    var typeID: Int16
    var keyDigest: Int64?
    var hash: [UInt8]
    var stored: [UInt8]
}

/// The outcome of planning a batch: each request's result, and the rows, new streams and head to write.
struct AppendPlan: Sendable {
    var outcomes: [Result<AppendResult, EventLogError>]
    var rows: [PlannedRow] = []
    /// Streams the log does not know yet, with their categories.
    var newStreams: [(name: String, category: String)] = []
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
        self.recordedAt = recordedAt
        self.dictionaryID = state.dictionaryID
        var position = state.headPosition
        var hash = state.headHash
        var streams = state.streams
        var keyed = state.keyedEvents
        var newStreams: [String: String] = [:]

        for request in requests {
            if let outcome = Self.duplicateOutcome(request, keyed: keyed) {
                self.outcomes.append(outcome)
                continue
            }
            if let conflict = Self.versionConflict(request, streams: streams) {
                self.outcomes.append(.failure(conflict))
                continue
            }
            var appended: [AppendResult.Appended] = []
            for part in request.parts {
                let name = part.stream.description
                var stream = streams[name] ?? LockedState.KnownStream(id: 0, version: 0)
                if stream.id == 0 { newStreams[name] = part.stream.category }
                for event in part.events {
                    position += 1
                    stream.version += 1
                    hash = EventHash.chain(previous: hash, position: position, streamVersion: stream.version, content: event.contentDigest)
                    self.rows.append(
                        PlannedRow(
                            position: position, streamID: stream.id, stream: name, streamVersion: stream.version, typeID: event.typeID,
                            keyDigest: event.keyDigest, hash: hash, stored: event.stored))
                    if let key = event.idempotencyKey {
                        keyed[key] = LockedState.KeyedEvent(
                            position: position, stream: name, streamVersion: stream.version, typeID: event.typeID)
                    }
                    appended.append(AppendResult.Appended(position: position, stream: part.stream, streamVersion: stream.version))
                }
                streams[name] = stream
            }
            self.outcomes.append(.success(AppendResult(events: appended, deduplicated: false)))
        }
        self.newStreams = newStreams.keys.sorted().map { ($0, newStreams[$0]!) }
        self.headPosition = position
        self.headHash = hash
    }

    /// A retry's result (every event already in the log), an error for a partial or mismatched
    /// match, or nil when no event of the request is in the log.
    private static func duplicateOutcome(
        _ request: PreparedRequest, keyed: [String: LockedState.KeyedEvent]
    ) -> Result<AppendResult, EventLogError>? {
        var originals: [AppendResult.Appended] = []
        var missing = 0
        for part in request.parts {
            for event in part.events {
                guard let key = event.idempotencyKey, let original = keyed[key] else {
                    missing += 1
                    continue
                }
                guard original.stream == part.stream.description, original.typeID == event.typeID else {
                    return .failure(
                        EventLogError(
                            .idempotencyKeyReused,
                            "idempotency key \"\(key)\" already names event \(original.position) of \(original.stream); use a new key"))
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

    private static func versionConflict(_ request: PreparedRequest, streams: [String: LockedState.KnownStream]) -> EventLogError? {
        for part in request.parts {
            let actual = streams[part.stream.description]?.version ?? 0
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
