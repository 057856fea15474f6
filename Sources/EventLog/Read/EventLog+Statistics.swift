import PostgresNIO

/// What the log holds, by event type, and what it costs on disk.
public struct LogStatistics: Sendable, Hashable {
    /// The figures of one event type and schema version.
    public struct TypeFigures: Sendable, Hashable {
        /// The event type.
        public var type: String
        /// Its schema version.
        public var schemaVersion: Int
        /// How many events of it the log holds.
        public var events: Int64
        /// Their bodies as stored (compressed where that helped).
        public var storedBytes: Int64
        /// Their bodies uncompressed (key, metadata and payload).
        public var rawBytes: Int64
    }

    /// Per type, most events first.
    public var types: [TypeFigures]
    /// The events table on disk: heap, TOAST and every index.
    public var tableBytes: Int64

    /// Every event.
    public var events: Int64 { self.types.reduce(0) { $0 + $1.events } }
    /// Every body as stored.
    public var storedBytes: Int64 { self.types.reduce(0) { $0 + $1.storedBytes } }
    /// Every body uncompressed.
    public var rawBytes: Int64 { self.types.reduce(0) { $0 + $1.rawBytes } }
    /// Raw over stored body bytes.
    public var compressionRatio: Double { self.storedBytes == 0 ? 1 : Double(self.rawBytes) / Double(self.storedBytes) }
}

extension EventLog {
    /// Counts events and bytes by type (reads every row's header; no body is decompressed).
    public func statistics() async throws(EventLogError) -> LogStatistics {
        try await EventLogError.wrapping("reading statistics") {
            var figures: [LogStatistics.TypeFigures] = []
            let rows = try await self.client.query(
                """
                SELECT t.name, t.schema_version, count(*), sum(octet_length(e.body) - 1)::int8,
                       sum(parley_body_raw_length(e.body))::int8
                FROM parley_events e JOIN parley_event_types t ON t.id = e.type_id
                GROUP BY t.name, t.schema_version ORDER BY count(*) DESC, t.name
                """, logger: self.logger)
            for try await (name, version, events, stored, raw) in rows.decode((String, Int16, Int64, Int64, Int64).self) {
                figures.append(.init(type: name, schemaVersion: Int(version), events: events, storedBytes: stored, rawBytes: raw))
            }
            var tableBytes: Int64 = 0
            for try await size in try await self.client.query(
                "SELECT pg_total_relation_size('parley_events')", logger: self.logger
            ).decode(Int64.self) { tableBytes = size }
            return LogStatistics(types: figures, tableBytes: tableBytes)
        }
    }
}
