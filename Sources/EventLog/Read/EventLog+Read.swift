import Logging
import NIOCore
import PostgresNIO

extension EventLog {
    /// Events after `position` (exclusive), in position order, at most `limit`.
    public func read(after position: Int64, limit: Int? = nil) async throws(EventLogError) -> [RecordedEvent] {
        let statement = ReadAfterStatement(position: position, limit: Int64(limit ?? self.configuration.pageSize))
        return try await self.decodeRows {
            try await self.withOpenConnection { connection in
                var rows: [EventRow] = []
                for try await row in try await connection.execute(statement, logger: self.logger) { rows.append(row) }
                return rows
            }
        }
    }

    /// Events of the given `types` after `position` (exclusive), in position order, at most
    /// `limit`: the events a reader folds into stored state, filtered in the database, so a long
    /// stretch of other events costs a scan of the primary key, not their transfer and decoding.
    public func read(after position: Int64, types: Set<String>, limit: Int? = nil) async throws(EventLogError) -> [RecordedEvent] {
        let limit = Int64(limit ?? self.configuration.pageSize)
        let names = types.sorted()
        return try await self.readRows(
            """
            SELECT e.position, s.name, e.stream_version, e.type_id, (extract(epoch FROM e.recorded_at) * 1000000)::int8,
                   e.hash, e.body
            FROM parley_events e JOIN parley_streams s ON s.id = e.stream_id
            WHERE e.position > \(position) AND e.type_id IN (SELECT id FROM parley_event_types WHERE name = ANY(\(names)))
            ORDER BY e.position LIMIT \(limit)
            """)
    }

    /// Events of `stream` from `version` on (inclusive; versions start at 1), in version order, at most `limit`.
    /// With `backwards`, events from `version` down, newest first.
    public func read(
        stream: StreamName, from version: Int, backwards: Bool = false, limit: Int? = nil
    ) async throws(EventLogError) -> [RecordedEvent] {
        let limit = Int64(limit ?? self.configuration.pageSize)
        let name = stream.description
        let version = Int32(clamping: version)
        // Served by parley_events_stream (stream_id, stream_version).
        let query: PostgresQuery = backwards
            ? """
            SELECT e.position, s.name, e.stream_version, e.type_id, (extract(epoch FROM e.recorded_at) * 1000000)::int8,
                   e.hash, e.body
            FROM parley_streams s JOIN parley_events e ON e.stream_id = s.id
            WHERE s.name = \(name) AND e.stream_version <= \(version) ORDER BY e.stream_version DESC LIMIT \(limit)
            """
            : """
            SELECT e.position, s.name, e.stream_version, e.type_id, (extract(epoch FROM e.recorded_at) * 1000000)::int8,
                   e.hash, e.body
            FROM parley_streams s JOIN parley_events e ON e.stream_id = s.id
            WHERE s.name = \(name) AND e.stream_version >= \(version) ORDER BY e.stream_version LIMIT \(limit)
            """
        return try await self.readRows(query)
    }

    /// The events at `positions` (those the log holds), in position order: what a reader that
    /// indexed positions elsewhere (a user's stored updates) reads back.
    public func read(positions: [Int64]) async throws(EventLogError) -> [RecordedEvent] {
        guard !positions.isEmpty else { return [] }
        // Served by the primary key on position.
        return try await self.readRows(
            """
            SELECT e.position, s.name, e.stream_version, e.type_id, (extract(epoch FROM e.recorded_at) * 1000000)::int8,
                   e.hash, e.body
            FROM parley_events e JOIN parley_streams s ON s.id = e.stream_id
            WHERE e.position = ANY(\(positions)) ORDER BY e.position
            """)
    }

    /// The version of `stream`'s last event; 0 when it has none.
    public func version(of stream: StreamName) async throws(EventLogError) -> Int {
        try await EventLogError.wrapping("reading a stream version") {
            let rows = try await self.client.query(
                """
                SELECT coalesce(max(e.stream_version), 0) FROM parley_streams s JOIN parley_events e ON e.stream_id = s.id
                WHERE s.name = \(stream.description)
                """, logger: self.logger)
            for try await version in rows.decode(Int32.self) { return Int(version) }
            return 0
        }
    }

    private func readRows(_ query: PostgresQuery) async throws(EventLogError) -> [RecordedEvent] {
        try await self.decodeRows {
            try await self.withOpenConnection { connection in
                var rows: [EventRow] = []
                for try await row in try await connection.query(query, logger: self.logger).decode(EventRow.self) { rows.append(row) }
                return rows
            }
        }
    }

    /// Decodes the rows that `fetch` reads (columns as ``EventRow``).
    private func decodeRows(_ fetch: () async throws -> [EventRow]) async throws(EventLogError) -> [RecordedEvent] {
        try await EventLogError.wrapping("reading events") {
            let rows = try await fetch()
            let dictionaries = Set(rows.compactMap { row in row.6.withUnsafeReadableBytes { StoredBody.dictionaryID(of: $0) } })
            var decoder = try await self.catalog.decoder(for: dictionaries, logger: self.logger)
            var events: [RecordedEvent] = []
            events.reserveCapacity(rows.count)
            for (position, stream, version, typeID, micros, hash, body) in rows {
                guard let type = try await self.catalog.type(typeID, logger: self.logger) else {
                    throw EventLogError(.corruptEvent, "event \(position) has unknown type id \(typeID)")
                }
                let event = try body.withUnsafeReadableBytes { (bytes) throws(EventLogError) -> RecordedEvent in
                    try EventDecoding.decode(
                        position: position, stream: StreamName(trusted: stream), streamVersion: Int(version), type: type,
                        recordedAt: Timestamp(microseconds: micros), hash: Array(buffer: hash), body: bytes, decoder: &decoder)
                }
                events.append(event)
            }
            return events
        }
    }
}

/// An event row as the reads select it: position, stream name, stream version, type id,
/// recorded-at microseconds, hash, stored body.
typealias EventRow = (Int64, String, Int32, Int16, Int64, ByteBuffer, ByteBuffer)

/// The tail's and pager's read, prepared once per connection. Served by the primary key.
struct ReadAfterStatement: PostgresPreparedStatement {
    typealias Row = EventRow
    static let sql = """
        SELECT e.position, s.name, e.stream_version, e.type_id, (extract(epoch FROM e.recorded_at) * 1000000)::int8,
               e.hash, e.body
        FROM parley_events e JOIN parley_streams s ON s.id = e.stream_id
        WHERE e.position > $1 ORDER BY e.position LIMIT $2
        """

    var position: Int64
    var limit: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(self.position)
        bindings.append(self.limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
