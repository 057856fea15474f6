public import EventLog

/// A corpus file (`scripts/corpus.py`'s JSON lines) appended to the log as catalogue events, in
/// file order, through the log's bulk path: what `parley-replay import` does and the projections
/// benchmark times. Every event gets an idempotency key (a message's own, else
/// `import:<source>:<line>`), so importing the same file again writes nothing twice.
public struct CorpusImport: Sendable {
    /// Events per append: the log's batch bound, so one request fills one group commit.
    public static let eventsPerAppend = EventLog.Configuration().maxBatchEvents

    /// The requests that append the file's events in its order, `eventsPerAppend` at a time.
    public let requests: [AppendRequest]
    /// The events the requests hold.
    public let events: Int

    /// Maps the lines of the file called `source` (its name, for idempotency keys) at `path` (for
    /// errors; `source` when nil); empty lines are skipped.
    /// - Throws: ``ProjectionError`` `.invalidCorpusAction` naming the path, the line and what is wrong.
    public init(lines: some Sequence<some Collection<UInt8>>, source: String, path: String? = nil) throws(ProjectionError) {
        var events: [(stream: StreamName, event: EventData)] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                let mapped = try CorpusEvent(line: Array(line))
                var data = mapped.eventData
                data.idempotencyKey = data.idempotencyKey ?? "import:\(source):\(index + 1)"
                events.append((mapped.stream, data))
            } catch {
                throw ProjectionError(error.code, "\(path ?? source):\(index + 1): \(error.message)")
            }
        }
        self.events = events.count
        // Large requests: each is one round trip and one transaction, its events in file order.
        self.requests = AppendRequest.preservingOrder(events, maxEvents: Self.eventsPerAppend)
    }

    /// Appends the requests one after another (so the log keeps the file's order); `progress`
    /// hears how many events are done after each. Returns the events appended and those already
    /// in the log (an import of the same file again).
    public func append(to log: EventLog, progress: (Int) -> Void = { _ in }) async throws -> (appended: Int, duplicates: Int) {
        var (appended, duplicates, done) = (0, 0, 0)
        for request in self.requests {
            let result = try await log.append(request)
            if result.deduplicated { duplicates += result.events.count } else { appended += result.events.count }
            done += result.events.count
            progress(done)
        }
        return (appended, duplicates)
    }
}
