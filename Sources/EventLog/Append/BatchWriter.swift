import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Writes one batch of prepared requests in two round trips: the first takes the writer lock and
/// reads what the batch depends on; the batch is planned; the second inserts the rows, moves the
/// head and releases the lock in one autocommit statement. The caller learns the outcomes only
/// after that statement's commit. (See `parley_lock_and_read` for why this orders commits.)
struct BatchWriter {
    var logger: Logger

    /// The advisory-lock key of the writer lock (as in `parley_lock_and_read`).
    static let writerLock: Int64 = 1_885_434_476

    /// Writes the batch; `commit: false` runs it inside a transaction that is rolled back after
    /// writing (to prove readers never see such events).
    func write(
        _ requests: [PreparedRequest], on connection: PostgresConnection, recordedAt: Timestamp, commit: Bool = true
    ) async throws -> AppendPlan {
        var names = Set<String>()
        var digests: [UUID] = []
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
                try await self.insert(plan, on: connection)
            }
            if !commit { try await connection.query("ROLLBACK", logger: self.logger) }
            return plan
        } catch {
            // A failed statement rolled back by itself; the session lock must still be released
            // before the connection goes back to the pool.
            if !commit { _ = try? await connection.query("ROLLBACK", logger: self.logger) }
            _ = try? await connection.query("SELECT pg_advisory_unlock_all()", logger: self.logger)
            throw error
        }
    }

    private func lockAndRead(names: [String], digests: [UUID], on connection: PostgresConnection) async throws -> LockedState {
        let rows = try await connection.execute(LockAndReadStatement(names: names, digests: digests), logger: self.logger)
        var state = LockedState(headPosition: 0, headHash: EventHash.genesis, dictionaryID: nil, streamVersions: [:], keyedEvents: [:])
        for try await (kind, name, version, key, position, hash, typeID) in rows {
            switch kind {
            case "h":
                state.headPosition = position ?? 0
                state.headHash = hash.map { Array(buffer: $0) } ?? EventHash.genesis
                state.dictionaryID = version.map { Int16($0) }
            case "s":
                if let name, let version { state.streamVersions[name] = Int(version) }
            default:
                if let name, let version, let key, let position, let typeID {
                    state.keyedEvents[key] = LockedState.KeyedEvent(
                        position: position, stream: name, streamVersion: Int(version), typeID: typeID)
                }
            }
        }
        return state
    }

    private func insert(_ plan: AppendPlan, on connection: PostgresConnection) async throws {
        for try await _ in try await connection.execute(WriteBatchStatement(plan: plan), logger: self.logger) {}
    }
}

/// `parley_lock_and_read`, prepared once per connection.
struct LockAndReadStatement: PostgresPreparedStatement {
    typealias Row = (String, String?, Int64?, UUID?, Int64?, ByteBuffer?, Int16?)
    static let sql = "SELECT r_kind::text, r_name, r_version, r_key, r_position, r_hash, r_type_id FROM parley_lock_and_read($1::text[], $2::uuid[])"

    var names: [String]
    var digests: [UUID]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(self.names)
        bindings.append(self.digests)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// The write of a planned batch, prepared once per connection: upserts the streams' versions,
/// inserts the rows (arrays through `unnest`), moves the head and releases the writer lock.
struct WriteBatchStatement: PostgresPreparedStatement {
    typealias Row = Bool
    static let sql = """
        WITH s AS (
            INSERT INTO parley_streams AS st (name, category, version)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int4[])
            ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version
            RETURNING st.id, st.name
        ), e AS (
            INSERT INTO parley_events
                (position, stream_id, recorded_at, stream_version, type_id, codec, dictionary_id, idempotency_key, hash, body)
            SELECT r.position, s.id, to_timestamp(0) + $4::int8 * interval '1 microsecond', r.version, r.type_id,
                   r.codec, NULLIF(r.dict, 0), NULLIF(r.key, '00000000-0000-0000-0000-000000000000'::uuid), r.hash, r.body
            FROM unnest($5::int8[], $6::text[], $7::int4[], $8::int2[], $9::int2[], $10::int2[], $11::uuid[], $12::bytea[], $13::bytea[])
                 AS r(position, stream, version, type_id, codec, dict, key, hash, body)
            JOIN s ON s.name = r.stream
            ORDER BY r.position
        ), h AS (
            UPDATE parley_log_head SET position = $14, hash = $15 RETURNING 1
        )
        -- Unlocking reads h, so it runs after the head row is updated (and row-locked until commit).
        SELECT pg_advisory_unlock(1885434476) FROM h
        """

    var plan: AppendPlan

    func makeBindings() throws -> PostgresBindings {
        let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = self.plan.rows
        var bindings = PostgresBindings(capacity: 15)
        bindings.append(self.plan.streams.map(\.name))
        bindings.append(self.plan.streams.map(\.category))
        bindings.append(self.plan.streams.map { Int32($0.version) })
        bindings.append(self.plan.recordedAt.microseconds)
        bindings.append(rows.map(\.position))
        bindings.append(rows.map(\.stream))
        bindings.append(rows.map { Int32($0.streamVersion) })
        bindings.append(rows.map(\.typeID))
        bindings.append(rows.map(\.codec.rawValue))
        bindings.append(rows.map { $0.dictionaryID ?? 0 })
        bindings.append(rows.map { $0.keyDigest ?? none })
        bindings.append(rows.map { ByteBuffer(bytes: $0.hash) })
        bindings.append(rows.map { ByteBuffer(bytes: $0.body) })
        bindings.append(self.plan.headPosition)
        bindings.append(ByteBuffer(bytes: self.plan.headHash))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Bool { try row.decode(Bool.self) }
}
