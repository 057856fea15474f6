public import Logging
import Foundation

/// Applies the numbered SQL files of `schemas/sql` in order, once each, recording them in
/// `parley_migrations`. Safe to run twice and from several processes at once: a session advisory
/// lock lets one process migrate while the others wait, then find nothing left to do.
public struct Migrator: Sendable {
    /// One migration: its number, name and SQL.
    public struct Migration: Sendable, Hashable {
        /// The number the file name starts with.
        public let version: Int
        /// The file name.
        public let name: String
        /// The statements.
        public let sql: String
    }

    /// The migrations, in order.
    public let migrations: [Migration]

    /// The migrations that ship with the event log (and its layers above, which share the folder).
    public init() throws(EventLogError) {
        try self.init(migrations: Self.bundled())
    }

    /// A migrator for the given migrations.
    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies what the database at `url` lacks; returns the versions it applied.
    @discardableResult
    public func migrate(url: DatabaseURL, logger: Logger) async throws(EventLogError) -> [Int] {
        let migrations = self.migrations
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

    private static func bundled() throws(EventLogError) -> [Migration] {
        // schemas/sql is linked into the target as Sources/EventLog/Migrations; SwiftPM copies its files to the bundle.
        guard let folder = Bundle.module.resourceURL,
            let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter({ $0.pathExtension == "sql" }),
            !files.isEmpty
        else {
            throw EventLogError(.unavailable, "the SQL migrations are missing from the EventLog resource bundle")
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
