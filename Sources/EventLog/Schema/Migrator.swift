public import Foundation
public import Logging

/// Applies numbered SQL migrations in order, once each, recording them in `parley_migrations`.
/// Safe to run twice and from several processes at once: a session advisory lock lets one
/// process migrate while the others wait, then find nothing left to do.
///
/// Each layer owns its tables and ships its migrations in its own resource bundle
/// (`schemas/sql/<layer>`, linked into the target as `Migrations`): the event log's here
/// (``init()``), each layer above through ``bundled(in:)``. Their numbers are one sequence across
/// layers, so a database records one history whichever layers migrated it.
public struct Migrator: Sendable {
    /// One migration: its number, name and SQL.
    public struct Migration: Sendable, Hashable {
        /// The number the file name starts with.
        public let version: Int
        /// The file name.
        public let name: String
        /// The statements.
        public let sql: String

        /// Migration `version`, from the file `name`, running `sql`.
        public init(version: Int, name: String, sql: String) {
            self.version = version
            self.name = name
            self.sql = sql
        }
    }

    /// The migrations, in order.
    public let migrations: [Migration]

    /// The event log's own migrations (its tables and functions).
    public init() throws(EventLogError) {
        try self.init(migrations: Self.bundled(in: .module))
    }

    /// A migrator for the given migrations.
    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies what the database at `url` lacks; returns the versions it applied.
    @discardableResult
    public func migrate(url: DatabaseURL, logger: Logger) async throws(EventLogError) -> [Int] {
        let migrations = self.migrations
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw EventLogError(.database, "migrations \(earlier.name) and \(later.name) share the number \(later.version)")
        }
        let result: Result<[Int], EventLogError> = await Blocking.run {
            Result { () throws(EventLogError) -> [Int] in
                let connection = try PQConnection(url.conninfo)
                try connection.execute("SET client_min_messages = warning")
                // A session lock, released when the connection closes even if this process dies.
                try connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS parley_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
                let done = Set(try connection.execute("SELECT version FROM parley_migrations").compactMap { $0.flatMap(Int.init) })
                var applied: [Int] = []
                for migration in migrations where !done.contains(migration.version) {
                    let name = migration.name.replacingOccurrences(of: "'", with: "''")
                    try connection.execute(
                        "BEGIN;\n\(migration.sql)\n;INSERT INTO parley_migrations (version, name) VALUES (\(migration.version), '\(name)');COMMIT;")
                    applied.append(migration.version)
                }
                return applied
            }
        }
        let applied = try result.get()
        for version in applied { logger.info("applied migration", metadata: ["version": "\(version)"]) }
        return applied
    }

    /// The advisory-lock key every Parley process migrates under.
    private static let lockKey = 7_283_391

    /// The migrations a layer ships in `bundle`: the `.sql` files of its `schemas/sql/<layer>`
    /// folder, which is linked into the target as `Migrations` and which SwiftPM copies to the bundle.
    public static func bundled(in bundle: Bundle) throws(EventLogError) -> [Migration] {
        guard let folder = bundle.resourceURL,
            let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter({ $0.pathExtension == "sql" }),
            !files.isEmpty
        else {
            throw EventLogError(.unavailable, "the SQL migrations are missing from the resource bundle \(bundle.bundlePath)")
        }
        var migrations: [Migration] = []
        for file in files {
            let name = file.lastPathComponent
            guard let version = Int(name.prefix { $0.isNumber }), let sql = try? String(contentsOf: file, encoding: .utf8) else {
                throw EventLogError(.unavailable, "migration \(name) must start with its number and be UTF-8")
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        return migrations
    }
}
