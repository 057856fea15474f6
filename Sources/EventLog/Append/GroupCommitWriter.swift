import Crypto
import Synchronization
import Foundation
import Logging
import PostgresNIO

/// The writer behind ``EventLog/append(_:)``: takes batches from the group-commit queue,
/// prepares them (encode, compress, digest, intern types) and writes each with ``BatchWriter``.
/// Confined to the one task that runs it (the closure that holds its connection runs on that task
/// too), which is why the unchecked conformance is sound; it owns the compressor.
final class GroupCommitWriter: @unchecked Sendable {
    private let log: EventLog
    private var compressor: BodyCompressor
    private var trainingTried = false

    init(log: EventLog) {
        self.log = log
        self.compressor = BodyCompressor(dictionary: nil)
    }

    typealias Waiter = CheckedContinuation<Result<AppendResult, EventLogError>, Never>

    /// Writes batches until cancelled, on one connection held for as long as it works.
    func run() async {
        while !Task.isCancelled {
            do {
                try await self.log.client.withConnection { connection in
                    for await _ in self.log.wakeups {
                        try await self.drainQueue(on: connection)
                    }
                }
                return
            } catch {
                // The batch that failed has been answered; start again on a fresh connection.
                self.log.logger.warning("append writer restarting", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Writes batch after batch until the queue is empty. Throws after a failed batch (whose
    /// appends have then been answered with the error), so the connection is replaced.
    private func drainQueue(on connection: PostgresConnection) async throws {
        while !Task.isCancelled {
            let batch = self.log.queue.withLock { $0.nextBatch(maxEvents: self.log.configuration.maxBatchEvents) }
            if batch.isEmpty { return }
            await self.adoptActiveDictionary()
            let recordedAt = self.log.configuration.clock()
            do throws(EventLogError) {
                let plan = try await EventLogError.wrapping("appending") {
                    let prepared = try await self.prepare(batch.map(\.request), recordedAt: recordedAt)
                    return try await BatchWriter(logger: self.log.logger, catalog: self.log.catalog).write(
                        prepared, on: connection, recordedAt: recordedAt)
                }
                for (item, outcome) in zip(batch, plan.outcomes) { item.waiter.resume(returning: outcome) }
                if !plan.rows.isEmpty { self.log.watcher.headMoved() }
                await self.adoptDictionary(plan: plan)
            } catch {
                for item in batch { item.waiter.resume(returning: .failure(error)) }
                throw error
            }
        }
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
