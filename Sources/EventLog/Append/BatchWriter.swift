import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Writes one batch of prepared requests in two autocommit round trips: the first takes the writer
/// lock and reads what the batch depends on; the batch is planned; the second inserts the rows,
/// moves the head and releases the lock in one statement. The caller learns the outcomes only
/// after that statement's commit. (`parley_lock_and_read` explains why this orders commits.)
struct BatchWriter {
    var logger: Logger
    var catalog: EventCatalog

    /// The advisory-lock key of the writer lock (as in `parley_lock_and_read`).
    static let writerLock: Int64 = 1_885_434_476

    /// Writes the batch; `commit: false` runs it inside a transaction that is rolled back after
    /// writing (to prove readers never see such events).
    func write(
        _ requests: [PreparedRequest], on connection: PostgresConnection, recordedAt: Timestamp, commit: Bool = true
    ) async throws -> AppendPlan {
        var names = Set<String>()
        var digests: [Int64] = []
        for request in requests {
            for part in request.parts {
                names.insert(part.stream.description)
                digests.append(contentsOf: part.events.compactMap(\.keyDigest))
            }
        }
        if !commit { try await connection.query("BEGIN", logger: self.logger) }
        do {
            let state = try await self.lockAndRead(names: Array(names), digests: digests, on: connection)
            let plan = AppendPlan(requests: requests, state: state, recordedAt: recordedAt)
            if plan.rows.isEmpty {
                try await connection.query("SELECT pg_advisory_unlock(\(Self.writerLock))", logger: self.logger)
            } else {
                for try await _ in try await connection.execute(WriteBatchStatement(plan: plan), logger: self.logger) {}
            }
            if !commit { try await connection.query("ROLLBACK", logger: self.logger) }
            return plan
        } catch {
            // A failed statement rolled back by itself; the session lock must still be released
            // before the connection goes back to the pool. A connection that closed took its
            // session (and lock) with it, and a query written to it might never be answered.
            guard !connection.isClosed else { throw error }
            if !commit { _ = try? await connection.query("ROLLBACK", logger: self.logger) }
            _ = try? await connection.query("SELECT pg_advisory_unlock_all()", logger: self.logger)
            throw error
        }
    }

    private func lockAndRead(names: [String], digests: [Int64], on connection: PostgresConnection) async throws -> LockedState {
        var state = LockedState()
        var keyed: [(name: String, version: Int32, position: Int64, typeID: Int16, body: ByteBuffer)] = []
        let rows = try await connection.execute(LockAndReadStatement(names: names, digests: digests), logger: self.logger)
        for try await (kind, name, id, version, _, position, small, bytes) in rows {
            switch kind {
            case "h":
                state.headPosition = position ?? 0
                state.headHash = bytes.map { Array(buffer: $0) } ?? EventHash.genesis
                state.dictionaryID = small
            case "s":
                if let name, let id, let version { state.streams[name] = .init(id: id, version: Int(version)) }
            default:
                if let name, let version, let position, let small, let bytes { keyed.append((name, version, position, small, bytes)) }
            }
        }
        if !keyed.isEmpty {
            // The index holds 8-byte digests; the full key, kept in the body, decides.
            let ids = Set(keyed.compactMap { row in row.body.withUnsafeReadableBytes { StoredBody.dictionaryID(of: $0) } })
            var decoder = try await self.catalog.decoder(for: ids, logger: self.logger)
            for row in keyed {
                let key = try row.body.withUnsafeReadableBytes { (stored) throws(EventLogError) -> String? in
                    try decoder.withRawBody(stored, position: row.position) { EventBody.decode($0)?.idempotencyKey }
                }
                guard let key else { continue }
                state.keyedEvents[key] = .init(position: row.position, stream: row.name, streamVersion: Int(row.version), typeID: row.typeID)
            }
        }
        return state
    }
}

/// `parley_lock_and_read`, prepared once per connection.
struct LockAndReadStatement: PostgresPreparedStatement {
    typealias Row = (String, String?, Int32?, Int32?, Int64?, Int64?, Int16?, ByteBuffer?)
    static let sql = """
        SELECT r_kind::text, r_name, r_id, r_version, r_key, r_position, r_small, r_bytes
        FROM parley_lock_and_read($1::text[], $2::int8[])
        """

    var names: [String]
    var digests: [Int64]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(self.names)
        bindings.append(self.digests)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// The write of a planned batch, prepared once per connection: inserts the new streams and the
/// rows (arrays through `unnest`), moves the head and releases the writer lock.
struct WriteBatchStatement: PostgresPreparedStatement {
    typealias Row = Bool
    static let sql = """
        WITH s AS (
            INSERT INTO parley_streams (name, category)
            SELECT * FROM unnest($1::text[], $2::text[])
            RETURNING id, name
        ), e AS (
            INSERT INTO parley_events (position, recorded_at, stream_id, stream_version, type_id, idempotency_key, hash, body)
            SELECT r.position, to_timestamp(0) + $3::int8 * interval '1 microsecond', coalesce(NULLIF(r.sid, 0), s.id),
                   r.version, r.type_id, NULLIF(r.key, 0), r.hash, r.body
            FROM unnest($4::int8[], $5::int4[], $6::text[], $7::int4[], $8::int2[], $9::int8[], $10::bytea[], $11::bytea[])
                 AS r(position, sid, stream, version, type_id, key, hash, body)
            LEFT JOIN s ON r.sid = 0 AND s.name = r.stream
            ORDER BY r.position
        ), h AS (
            UPDATE parley_log_head SET position = $12, hash = $13 RETURNING 1
        )
        -- Unlocking reads h, so it runs after the head row is updated (and row-locked until commit).
        SELECT pg_advisory_unlock(1885434476) FROM h
        """

    var plan: AppendPlan

    func makeBindings() throws -> PostgresBindings {
        let rows = self.plan.rows
        var bindings = PostgresBindings(capacity: 13)
        bindings.append(self.plan.newStreams.map(\.name))
        bindings.append(self.plan.newStreams.map(\.category))
        bindings.append(self.plan.recordedAt.microseconds)
        bindings.append(rows.map(\.position))
        bindings.append(rows.map(\.streamID))
        bindings.append(rows.map { $0.streamID == 0 ? $0.stream : "" })
        bindings.append(rows.map { Int32($0.streamVersion) })
        bindings.append(rows.map(\.typeID))
        bindings.append(rows.map { $0.keyDigest ?? 0 })
        bindings.append(rows.map { ByteBuffer(bytes: $0.hash) })
        bindings.append(rows.map { ByteBuffer(bytes: $0.stored) })
        bindings.append(self.plan.headPosition)
        bindings.append(ByteBuffer(bytes: self.plan.headHash))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Bool { try row.decode(Bool.self) }
}
