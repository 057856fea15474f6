import Logging
import PostgresNIO

/// Where a projection's tables stand: the last log position they reflect, and the generation of
/// the tables (a rebuild's swap increments it).
struct ProjectionCheckpoint: Sendable, Hashable {
    var projection: String
    var position: Int64
    var generation: Int32

    /// The checkpoint row of `projection` (its migration creates it).
    static func read(_ projection: String, client: PostgresClient, logger: Logger) async throws -> ProjectionCheckpoint {
        let rows = try await client.query(
            "SELECT position, generation FROM parley_projection_checkpoints WHERE projection = \(projection)", logger: logger)
        for try await (position, generation) in rows.decode((Int64, Int32).self) {
            return ProjectionCheckpoint(projection: projection, position: position, generation: generation)
        }
        throw ProjectorError("projection \(projection) has no checkpoint row; run the migrations")
    }

    /// Moves the checkpoint from `previous` to this one, inside the caller's transaction; throws
    /// when the row no longer says `previous` (another projector or a rebuild moved it).
    func save(replacing previous: ProjectionCheckpoint, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            UPDATE parley_projection_checkpoints SET position = \(self.position), generation = \(self.generation), updated_at = now()
            WHERE projection = \(self.projection) AND position = \(previous.position) AND generation = \(previous.generation)
            RETURNING 1
            """, logger: logger)
        var moved = false
        for try await _ in rows { moved = true }
        guard moved else {
            throw ProjectorError("the checkpoint of \(self.projection) moved under this projector; starting over")
        }
    }

    /// The advisory-lock key that elects a projection's active projector.
    static func lockKey(_ projection: String) -> Int64 {
        // FNV-1a: stable across processes and releases, unlike Hasher.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("parley.projector." + projection).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }
}

/// A projector failure, with a message that says what happened.
struct ProjectorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
