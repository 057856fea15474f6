public import Logging
public import PostgresNIO

/// A projection whose rows live in PostgreSQL tables (created by the migrations in `schemas/sql/projections`).
public protocol StoredProjection: Projection {
    /// The projection's tables, by their live names.
    static var tables: [String] { get }

    /// Writes changes into the tables named with `suffix` appended (`""` for the live tables,
    /// `"_shadow"` while a rebuild fills new ones). Runs inside the projector's transaction.
    static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws
}
