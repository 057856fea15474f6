public import Logging
public import PostgresNIO

/// A projection whose rows live in PostgreSQL tables (created by the migrations in `schemas/sql/projections`).
public protocol StoredProjection: Projection {
    /// The projection's tables, by their live names.
    static var tables: [String] { get }

    /// Writes changes into the projection's tables through `tables` (which names them, and upserts
    /// or bulk-loads). Runs inside the projector's transaction.
    static func write(_ changes: [Change], to tables: TableWriter) async throws

    /// Whether its projector announces each commit with a NOTIFY on
    /// ``StoredProjections/commitChannel`` (its name as the payload), for readers that follow its
    /// tables as they grow. Default: no (a NOTIFY serialises the commits that send one).
    static var announcesCommits: Bool { get }
}

extension StoredProjection {
    public static var announcesCommits: Bool { false }

    /// Upserts changes into the tables named with `suffix` appended (`""` for the live tables,
    /// `"_shadow"` while a rebuild fills new ones). Runs inside the projector's transaction.
    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await Self.write(changes, to: TableWriter(upsertingWith: suffix, on: connection, logger: logger))
    }
}
