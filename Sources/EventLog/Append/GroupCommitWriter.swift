import Crypto
import Synchronization
import Foundation
import Logging
import PostgresNIO

/// The writer behind ``EventLog/append(_:)``: takes batches from the group-commit queue,
/// prepares them (encode, compress, digest, intern types) and writes each with ``BatchWriter``.
///
/// Each batch leases a pooled connection of its own and must finish within
/// ``EventLog/Configuration/appendTimeout``: a connection that died with the database fails the
/// batch instead of hanging it, and a batch that overruns has its connection closed. Its appends
/// are then answered `.unavailable` — never as written, though the commit may have happened
/// (a retry with the same idempotency key answers that). After a failure the writer probes the
/// database with backoff and answers every append that arrives meanwhile `.unavailable` at once;
/// the first probe that succeeds opens the write path again.
///
/// One task runs the writer and batches are written one after another (each awaited before the
/// next), which is why the unchecked conformance is sound; it owns the compressor.
final class GroupCommitWriter: @unchecked Sendable {
    private let log: EventLog
    private var compressor: BodyCompressor
    private var trainingTried = false

    init(log: EventLog) {
        self.log = log
        self.compressor = BodyCompressor(dictionary: nil)
    }

    typealias Waiter = CheckedContinuation<Result<AppendResult, EventLogError>, Never>

    /// Writes batches until cancelled.
    func run() async {
        for await _ in self.log.wakeups {
            await self.drainQueue()
        }
    }

    /// Writes batch after batch until the queue is empty; after a failed batch, waits until the
    /// database answers again, failing what arrives meanwhile.
    private func drainQueue() async {
        while !Task.isCancelled {
            let batch = self.log.queue.withLock { $0.nextBatch(maxEvents: self.log.configuration.maxBatchEvents) }
            if batch.isEmpty { return }
            await self.adoptActiveDictionary()
            let recordedAt = self.log.configuration.clock()
            do throws(EventLogError) {
                let plan = try await self.write(batch.map(\.request), recordedAt: recordedAt)
                for (item, outcome) in zip(batch, plan.outcomes) { item.waiter.resume(returning: outcome) }
                if !plan.rows.isEmpty { self.log.watcher.headMoved() }
                await self.adoptDictionary(plan: plan)
            } catch {
                for item in batch { item.waiter.resume(returning: .failure(error)) }
                if error.code == .unavailable { await self.waitForDatabase(after: error) }
            }
        }
    }

    /// Prepares and writes one batch on a leased connection, within the append timeout.
    private func write(_ requests: [AppendRequest], recordedAt: Timestamp) async throws(EventLogError) -> AppendPlan {
        let leased = LeasedConnection()
        return try await EventLogError.wrapping("appending") {
            try await withDeadline(
                self.log.configuration.appendTimeout, "an append",
                onTimeout: { await leased.close() }
            ) {
                try await self.log.client.withConnection { connection in
                    leased.hold(connection)
                    let prepared = try await self.prepare(requests, recordedAt: recordedAt)
                    return try await BatchWriter(logger: self.log.logger, catalog: self.log.catalog).write(
                        prepared, on: connection, recordedAt: recordedAt)
                }
            }
        }
    }

    /// Marks the write path down, then probes the database with backoff until it answers,
    /// answering every queued append `.unavailable` meanwhile; marks it up again.
    private func waitForDatabase(after error: EventLogError) async {
        self.log.writePath.withLock { $0 = "\(error.message)" }
        self.log.logger.error("the append path is down; probing the database", metadata: ["error": "\(error)"])
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1))
        while !Task.isCancelled {
            let stranded = self.log.queue.withLock { $0.takeAll() }
            let refusal = EventLogError(.unavailable, "the database is unreachable; nothing was written, retry shortly")
            for waiter in stranded { waiter.resume(returning: .failure(refusal)) }
            do {
                try await withDeadline(self.log.configuration.appendTimeout, "a database probe") {
                    try await self.log.client.query("SELECT 1", logger: self.log.logger)
                }
                break
            } catch {
                await backoff.sleep()
            }
        }
        self.log.writePath.withLock { $0 = nil }
        self.log.logger.notice("the append path is up again")
    }

    /// Encodes, compresses, digests and interns a batch, before any lock is taken.
    func prepare(_ requests: [AppendRequest], recordedAt: Timestamp) async throws -> [PreparedRequest] {
        var keys = Set<EventCatalog.TypeKey>()
        for request in requests {
            for part in request.streams {
                for event in part.events { keys.insert(.init(name: event.type, schemaVersion: event.schemaVersion)) }
            }
        }
        let typeIDs = try await self.log.catalog.typeIDs(for: keys, logger: self.log.logger)
        return requests.map { request in
            PreparedRequest(parts: request.streams.map { part in
                let stream = part.stream.description
                return PreparedRequest.Part(stream: part.stream, expectedVersion: part.expectedVersion, events: part.events.map { event in
                    var raw: [UInt8] = []
                    raw.reserveCapacity(event.payload.count + 64)
                    EventBody.encode(event, into: &raw)
                    let content = raw.withUnsafeBytes {
                        EventHash.contentDigest(
                            stream: stream, type: event.type, schemaVersion: event.schemaVersion, recordedAt: recordedAt, rawBody: $0)
                    }
                    return PreparedEvent(
                        typeID: typeIDs[.init(name: event.type, schemaVersion: event.schemaVersion)]!,
                        idempotencyKey: event.idempotencyKey, keyDigest: event.idempotencyKey.map(Self.digest),
                        contentDigest: content, stored: self.compressor.store(raw))
                })
            })
        }
    }

    /// What the idempotency index holds for a key: the first 8 bytes of its SHA-256, never 0
    /// (0 marks "no key" on the way to the database).
    static func digest(_ key: String) -> Int64 {
        let hash = SHA256.hash(data: Array(key.utf8))
        let value = hash.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
        return value == 0 ? 1 : value
    }

    /// Trains the first dictionary when the log has grown big enough, and notes the dictionary
    /// the head names (another process may have trained one) for the next batch.
    private func adoptDictionary(plan: AppendPlan) async {
        if let current = plan.dictionaryID {
            self.log.activeDictionary.withLock { $0 = max($0 ?? 0, current) }
            return
        }
        guard !self.trainingTried, let threshold = self.log.configuration.trainDictionaryAfter,
            plan.headPosition >= Int64(threshold)
        else { return }
        self.trainingTried = true
        do {
            try await self.log.trainDictionary()
        } catch {
            self.log.logger.warning("training a compression dictionary failed", metadata: ["error": "\(error)"])
        }
    }

    /// Switches the compressor to the active dictionary if it is not using it already.
    private func adoptActiveDictionary() async {
        guard let active = self.log.activeDictionary.withLock({ $0 }), active != self.compressor.dictionaryID else { return }
        do {
            let decoder = try await self.log.catalog.decoder(for: [active], logger: self.log.logger)
            guard let bytes = decoder.dictionaries[active] else { return }
            self.compressor = BodyCompressor(dictionary: LZ4Dictionary(id: active, bytes: bytes))
        } catch {
            self.log.logger.warning("loading compression dictionary failed", metadata: ["error": "\(error)"])
        }
    }
}

/// The connection a batch is written on, so a deadline can close it under the batch.
private final class LeasedConnection: Sendable {
    private let connection = Mutex<PostgresConnection?>(nil)

    func hold(_ connection: PostgresConnection) {
        self.connection.withLock { $0 = connection }
    }

    /// Closes the held connection, failing whatever waits on it.
    func close() async {
        try? await self.connection.withLock { $0 }?.close()
    }
}
