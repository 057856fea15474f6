import PostgresNIO
import Synchronization

extension EventLog {
    /// Appends events to one stream; returns after the commit.
    /// - Throws: ``EventLogError``: `.wrongExpectedVersion`, `.payloadTooLarge`, `.emptyAppend`,
    ///   `.invalidEvent`, `.duplicateIdempotencyKey`, `.idempotencyKeyReused`, `.unavailable`, `.database`.
    @discardableResult
    public func append(
        _ events: [EventData], to stream: StreamName, expecting expectedVersion: ExpectedVersion = .any
    ) async throws(EventLogError) -> AppendResult {
        try await self.append(AppendRequest(stream: stream, expectedVersion: expectedVersion, events: events))
    }

    /// Appends events to one or more streams atomically; returns after the commit. Concurrent
    /// appends share a transaction (group commit); each still succeeds or fails on its own.
    /// An append whose events are all in the log already (by idempotency key) returns the
    /// originals' places with `deduplicated` set and writes nothing.
    @discardableResult
    public func append(_ request: AppendRequest) async throws(EventLogError) -> AppendResult {
        try AppendValidation(maxPayloadBytes: self.configuration.maxPayloadBytes).check(request)
        // While the writer probes a database that went away, appends are refused at once rather
        // than queued behind the probe.
        if let problem = self.writeProblem {
            throw EventLogError(.unavailable, "the database is unreachable (\(problem)); nothing was written, retry shortly")
        }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<AppendResult, EventLogError>, Never>) in
            switch self.queue.withLock({ $0.enqueue(request, waiter: continuation) }) {
            case .wakeWriter: self.wake.yield()
            case .none: break
            case .fail(let waiter):
                waiter.resume(returning: .failure(EventLogError(.unavailable, "the event log is not running")))
            }
        }
        return try result.get()
    }
}

extension EventLog {
    /// Writes `request` under the sequencer lock exactly as an append would, then rolls the
    /// transaction back. Only for tests that prove readers never see rolled-back events and
    /// positions stay dense.
    @_spi(Testing)
    public func appendThenRollBack(_ request: AppendRequest) async throws(EventLogError) {
        try AppendValidation(maxPayloadBytes: self.configuration.maxPayloadBytes).check(request)
        try await EventLogError.wrapping("appending (rolled back)") {
            let recordedAt = self.configuration.clock()
            let prepared = try await GroupCommitWriter(log: self).prepare([request], recordedAt: recordedAt)
            _ = try await self.client.withConnection { connection in
                try await BatchWriter(logger: self.logger, catalog: self.catalog).write(
                    prepared, on: connection, recordedAt: recordedAt, commit: false)
            }
        }
    }
}
