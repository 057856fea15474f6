import Logging
import NIOCore
import PostgresNIO

extension EventLog {
    /// Events after `position` (exclusive), in position order, at most `limit`.
    public func read(after position: Int64, limit: Int? = nil) async throws(EventLogError) -> [RecordedEvent] {
        let limit = Int64(limit ?? self.configuration.pageSize)
        return try await self.readRows(
            """
            SELECT e.position, s.name, e.stream_version, e.type_id, (extract(epoch FROM e.recorded_at) * 1000000)::int8,
                   e.codec, e.dictionary_id, e.hash, e.body
            FROM parley_events e JOIN parley_streams s ON s.id = e.stream_id
            WHERE e.position > \(position) ORDER BY e.position LIMIT \(limit)
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
                   e.codec, e.dictionary_id, e.hash, e.body
            FROM parley_streams s JOIN parley_events e ON e.stream_id = s.id
            WHERE s.name = \(name) AND e.stream_version <= \(version) ORDER BY e.stream_version DESC LIMIT \(limit)
            """
            : """
            SELECT e.position, s.name, e.stream_version, e.type_id, (extract(epoch FROM e.recorded_at) * 1000000)::int8,
                   e.codec, e.dictionary_id, e.hash, e.body
            FROM parley_streams s JOIN parley_events e ON e.stream_id = s.id
            WHERE s.name = \(name) AND e.stream_version >= \(version) ORDER BY e.stream_version LIMIT \(limit)
            """
        return try await self.readRows(query)
    }

    /// The version of `stream`'s last event; 0 when it has none.
    public func version(of stream: StreamName) async throws(EventLogError) -> Int {
        try await EventLogError.wrapping("reading a stream version") {
            let rows = try await self.client.query(
                "SELECT version FROM parley_streams WHERE name = \(stream.description)", logger: self.logger)
            for try await version in rows.decode(Int32.self) { return Int(version) }
            return 0
        }
    }

    private func readRows(_ query: PostgresQuery) async throws(EventLogError) -> [RecordedEvent] {
        try await EventLogError.wrapping("reading events") {
            typealias Row = (Int64, String, Int32, Int16, Int64, Int16, Int16?, ByteBuffer, ByteBuffer)
            var rows: [Row] = []
            for try await row in try await self.client.query(query, logger: self.logger).decode(Row.self) { rows.append(row) }
            let decoder = try await self.catalog.decoder(for: Set(rows.compactMap(\.6)), logger: self.logger)
            var events: [RecordedEvent] = []
            events.reserveCapacity(rows.count)
            for (position, stream, version, typeID, micros, codec, dictionaryID, hash, body) in rows {
                guard let type = try await self.catalog.type(typeID, logger: self.logger) else {
                    throw EventLogError(.corruptEvent, "event \(position) has unknown type id \(typeID)")
                }
                let event = try body.withUnsafeReadableBytes { (bytes) throws(EventLogError) -> RecordedEvent in
                    try EventDecoding.decode(
                        position: position, stream: StreamName(trusted: stream), streamVersion: Int(version), type: type,
                        recordedAt: Timestamp(microseconds: micros), codec: codec, dictionaryID: dictionaryID,
                        hash: Array(buffer: hash), body: bytes, decoder: decoder)
                }
                events.append(event)
            }
            return events
        }
    }
}
