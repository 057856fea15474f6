import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Writes one batch of prepared requests in one transaction: takes the sequencer lock, reads what
/// the batch depends on, plans it, inserts the rows and moves the head. The commit (or, for tests,
/// a rollback) ends it; the caller learns the outcomes only after that.
struct BatchWriter {
    var logger: Logger

    /// Runs the transaction; `commit: false` rolls it back after writing (to prove readers never see such events).
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
        try await connection.query("BEGIN", logger: self.logger)
        do {
            let state = try await self.lockAndRead(names: Array(names), digests: digests, on: connection)
            let plan = AppendPlan(requests: requests, state: state, recordedAt: recordedAt)
            if !plan.rows.isEmpty { try await self.insert(plan, on: connection) }
            try await connection.query(commit ? "COMMIT" : "ROLLBACK", logger: self.logger)
            return plan
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: self.logger)
            throw error
        }
    }

    private func lockAndRead(names: [String], digests: [UUID], on connection: PostgresConnection) async throws -> LockedState {
        let rows = try await connection.query(
            "SELECT r_kind::text, r_name, r_version, r_key, r_position, r_hash, r_type_id FROM parley_lock_and_read(\(names)::text[], \(digests)::uuid[])",
            logger: self.logger)
        var state = LockedState(headPosition: 0, headHash: EventHash.genesis, dictionaryID: nil, streamVersions: [:], keyedEvents: [:])
        for try await (kind, name, version, key, position, hash, typeID) in rows.decode(
            (String, String?, Int64?, UUID?, Int64?, ByteBuffer?, Int16?).self)
        {
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
        let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = plan.rows
        let streamNames = plan.streams.map(\.name)
        let categories = plan.streams.map(\.category)
        let versions = plan.streams.map { Int32($0.version) }
        let positions = rows.map(\.position)
        let rowStreams = rows.map(\.stream)
        let rowVersions = rows.map { Int32($0.streamVersion) }
        let typeIDs = rows.map(\.typeID)
        let codecs = rows.map(\.codec.rawValue)
        let dictionaries = rows.map { $0.dictionaryID ?? 0 }
        let keys = rows.map { $0.keyDigest ?? none }
        let hashes = rows.map { ByteBuffer(bytes: $0.hash) }
        let bodies = rows.map { ByteBuffer(bytes: $0.body) }
        let micros = plan.recordedAt.microseconds
        let headHash = ByteBuffer(bytes: plan.headHash)
        try await connection.query(
            """
            WITH s AS (
                INSERT INTO parley_streams AS st (name, category, version)
                SELECT * FROM unnest(\(streamNames)::text[], \(categories)::text[], \(versions)::int4[])
                ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version
                RETURNING st.id, st.name
            ), e AS (
                INSERT INTO parley_events
                    (position, stream_id, recorded_at, stream_version, type_id, codec, dictionary_id, idempotency_key, hash, body)
                SELECT r.position, s.id, to_timestamp(0) + \(micros)::int8 * interval '1 microsecond', r.version, r.type_id,
                       r.codec, NULLIF(r.dict, 0), NULLIF(r.key, '00000000-0000-0000-0000-000000000000'::uuid), r.hash, r.body
                FROM unnest(\(positions)::int8[], \(rowStreams)::text[], \(rowVersions)::int4[], \(typeIDs)::int2[],
                            \(codecs)::int2[], \(dictionaries)::int2[], \(keys)::uuid[], \(hashes)::bytea[], \(bodies)::bytea[])
                     AS r(position, stream, version, type_id, codec, dict, key, hash, body)
                JOIN s ON s.name = r.stream
                ORDER BY r.position
            )
            UPDATE parley_log_head SET position = \(plan.headPosition), hash = \(headHash)
            """, logger: self.logger)
    }
}
