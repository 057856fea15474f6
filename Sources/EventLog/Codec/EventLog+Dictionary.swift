import NIOCore
import PostgresNIO
import Synchronization

extension EventLog {
    /// Trains a new compression dictionary from the most recent events and makes it the one
    /// writers use from their next batch on. Older events keep naming the dictionary they were
    /// written with, so nothing already stored changes.
    ///
    /// LZ4 has no trainer; its dictionary is history it may refer back to. The most useful history
    /// is recent bodies of every type, so this takes the newest events, a fair share of each type,
    /// and concatenates their raw bodies (most common types last, nearest the data) up to 64 KiB.
    @discardableResult
    public func trainDictionary(sampleSize: Int = 2_000) async throws(EventLogError) -> LZ4Dictionary {
        let head = try await self.head().position
        var samplesByType: [String: [[UInt8]]] = [:]
        for try await batch in self.scan(after: max(0, head - Int64(sampleSize)), through: head) {
            for event in batch {
                var raw: [UInt8] = []
                EventBody.encode(
                    EventData(type: event.type, schemaVersion: event.schemaVersion, payload: event.payload,
                              metadata: event.metadata, idempotencyKey: event.idempotencyKey), into: &raw)
                samplesByType[event.type, default: []].append(raw)
            }
        }
        let bytes = Self.dictionaryBytes(from: samplesByType, limit: 65_536)
        let sampled = samplesByType.values.reduce(0) { $0 + $1.count }
        let dictionary = try await EventLogError.wrapping("storing a dictionary") {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // The head lock orders this against appends, so every batch sees a settled dictionary.
                try await connection.query("SELECT 1 FROM parley_log_head FOR UPDATE", logger: self.logger)
                let rows = try await connection.query(
                    """
                    INSERT INTO parley_dictionaries (id, trained_on, bytes)
                    SELECT coalesce(max(id), 0) + 1, \(sampled), \(ByteBuffer(bytes: bytes)) FROM parley_dictionaries
                    RETURNING id
                    """, logger: self.logger)
                var id: Int16 = 0
                for try await value in rows.decode(Int16.self) { id = value }
                try await connection.query("UPDATE parley_log_head SET dictionary_id = \(id)", logger: self.logger)
                return LZ4Dictionary(id: id, bytes: bytes)
            }
        }
        self.activeDictionary.withLock { $0 = dictionary.id }
        return dictionary
    }

    /// Concatenates samples: each type gets a share of `limit` in proportion to its count, the
    /// rarest types first so the commonest sit nearest the data being compressed.
    static func dictionaryBytes(from samplesByType: [String: [[UInt8]]], limit: Int) -> [UInt8] {
        let total = samplesByType.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        guard total > 0 else { return [] }
        var bytes: [UInt8] = []
        for (_, samples) in samplesByType.sorted(by: { $0.value.count < $1.value.count }) {
            let typeBytes = samples.reduce(0) { $0 + $1.count }
            var budget = max(256, limit * typeBytes / total)
            for sample in samples.reversed() where sample.count <= budget {
                bytes.append(contentsOf: sample)
                budget -= sample.count
            }
        }
        return Array(bytes.suffix(limit))
    }
}
