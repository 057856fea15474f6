/// What ``EventLog/verify(from:to:)`` found.
public struct VerifyReport: Sendable, Hashable {
    /// The first position checked.
    public var from: Int64
    /// The last position checked.
    public var to: Int64
    /// How many events were checked.
    public var checked: Int64
    /// The first position whose stored hash does not match its recomputed one, or where a position
    /// is missing or out of order; nil when the whole range is intact.
    public var firstBrokenPosition: Int64?
    /// Why that position is broken.
    public var problem: String?

    /// True when nothing is broken.
    public var isIntact: Bool { self.firstBrokenPosition == nil }
}

extension EventLog {
    /// Recomputes the hash chain over positions `from...to` (to the head when nil) and names the
    /// first position that breaks it: a changed envelope or payload, a missing or reordered event.
    public func verify(from: Int64 = 1, to: Int64? = nil) async throws(EventLogError) -> VerifyReport {
        let first = max(from, 1)
        let last: Int64
        if let to {
            last = to
        } else {
            last = try await self.head().position
        }
        var report = VerifyReport(from: first, to: last, checked: 0)
        guard first <= last else { return report }
        var previous = EventHash.genesis
        if first > 1 {
            guard let before = try await self.read(after: first - 2, limit: 1).first, before.position == first - 1 else {
                report.firstBrokenPosition = first - 1
                report.problem = "position \(first - 1) is missing"
                return report
            }
            previous = before.hash
        }
        var expected = first
        for try await batch in self.scan(after: first - 1, through: last) {
            for event in batch {
                if let problem = Self.check(event, expected: expected, previous: previous) {
                    report.firstBrokenPosition = min(event.position, expected)
                    report.problem = problem
                    return report
                }
                previous = event.hash
                expected += 1
                report.checked += 1
            }
        }
        if expected <= last {
            report.firstBrokenPosition = expected
            report.problem = "position \(expected) is missing"
        }
        return report
    }

    private static func check(_ event: RecordedEvent, expected: Int64, previous: [UInt8]) -> String? {
        guard event.position == expected else { return "position \(expected) is missing (next is \(event.position))" }
        var body: [UInt8] = []
        EventBody.encode(
            EventData(type: event.type, schemaVersion: event.schemaVersion, payload: event.payload, metadata: event.metadata,
                      idempotencyKey: event.idempotencyKey), into: &body)
        let content = body.withUnsafeBytes { raw in
            EventHash.contentDigest(
                stream: event.stream.description, type: event.type, schemaVersion: event.schemaVersion,
                recordedAt: event.recordedAt, rawBody: raw)
        }
        let hash = EventHash.chain(previous: previous, position: event.position, streamVersion: event.streamVersion, content: content)
        return hash == event.hash ? nil : "the stored hash of position \(event.position) does not match its contents or its predecessor"
    }
}
