import Crypto
import Synchronization
import Foundation
import Logging
import PostgresNIO

/// The writer behind ``EventLog/append(_:)``: takes batches from the group-commit queue,
/// prepares them (encode, compress, intern types) and writes each in one transaction.
/// Lives on one task; owns the compressor.
final class GroupCommitWriter {
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
            while !Task.isCancelled {
                let batch = self.log.queue.withLock { $0.nextBatch(maxEvents: self.log.configuration.maxBatchEvents) }
                if batch.isEmpty { break }
                await self.write(batch)
            }
            if Task.isCancelled { return }
        }
    }

    private func write(_ batch: [GroupCommitQueue<Waiter>.Pending]) async {
        do {
            await self.adoptActiveDictionary()
            let plan = try await EventLogError.wrapping("appending") {
                let prepared = try await self.prepare(batch.map(\.request))
                return try await self.log.client.withConnection { connection in
                    try await BatchWriter(logger: self.log.logger).write(
                        prepared, on: connection, recordedAt: self.log.configuration.clock())
                }
            }
            for (item, outcome) in zip(batch, plan.outcomes) { item.waiter.resume(returning: outcome) }
            if !plan.rows.isEmpty { self.log.watcher.headMoved() }
            await self.adoptDictionary(plan: plan)
        } catch {
            for item in batch { item.waiter.resume(returning: .failure(error)) }
        }
    }

    /// Encodes, compresses and interns a batch, before any lock is taken.
    func prepare(_ requests: [AppendRequest]) async throws -> [PreparedRequest] {
        var keys = Set<EventCatalog.TypeKey>()
        for request in requests {
            for part in request.streams {
                for event in part.events { keys.insert(.init(name: event.type, schemaVersion: event.schemaVersion)) }
            }
        }
        let typeIDs = try await self.log.catalog.typeIDs(for: keys, logger: self.log.logger)
        return requests.map { request in
            PreparedRequest(parts: request.streams.map { part in
                PreparedRequest.Part(stream: part.stream, expectedVersion: part.expectedVersion, events: part.events.map { event in
                    var raw: [UInt8] = []
                    raw.reserveCapacity(event.payload.count + 64)
                    EventBody.encode(event, into: &raw)
                    return PreparedEvent(
                        type: event.type, schemaVersion: event.schemaVersion,
                        typeID: typeIDs[.init(name: event.type, schemaVersion: event.schemaVersion)]!,
                        rawBody: raw, stored: self.compressor.store(raw), keyDigest: event.idempotencyKey.map(Self.digest))
                })
            })
        }
    }

    /// The first 16 bytes of SHA-256 of an idempotency key: what the unique index holds.
    static func digest(_ key: String) -> UUID {
        let hash = Array(SHA256.hash(data: Array(key.utf8)))
        return UUID(uuid: (hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7],
                           hash[8], hash[9], hash[10], hash[11], hash[12], hash[13], hash[14], hash[15]))
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
