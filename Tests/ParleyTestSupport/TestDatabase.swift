public import EventLog
import Foundation
import Logging
public import PostgresNIO

/// A fresh database on the test cluster that `scripts/test` starts, migrated by the caller, dropped
/// afterwards. Each test gets its own, so tests run in parallel and leave nothing behind.
public enum TestDatabase {
    /// The cluster's admin URL, from `PARLEY_TEST_DATABASE_URL`.
    public static var adminURL: DatabaseURL {
        get throws {
            guard let text = ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE_URL"] else {
                throw TestSetupError("PARLEY_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
            }
            return try DatabaseURL(text)
        }
    }

    /// Creates a database, runs `body` with its URL, then drops it.
    public static func with<T>(_ body: (DatabaseURL) async throws -> T) async throws -> T {
        let admin = try Self.adminURL
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await Self.admin(admin) { try await $0.query("CREATE DATABASE \(unescaped: name)", logger: testLogger) }
        do {
            let result = try await body(admin.withDatabase(String(name)))
            try await Self.drop(name, admin: admin)
            return result
        } catch {
            try? await Self.drop(name, admin: admin)
            throw error
        }
    }

    private static func drop(_ name: String, admin: DatabaseURL) async throws {
        try await Self.admin(admin) { try await $0.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: testLogger) }
    }

    /// Runs `body` on a short-lived connection to `url`.
    public static func admin<T: Sendable>(_ url: DatabaseURL, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable),
            id: 1, logger: testLogger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// A test could not be set up (as opposed to a failed expectation).
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The tests' logger: warnings and worse.
public let testLogger: Logger = {
    var logger = Logger(label: "parley-tests")
    logger.logLevel = .warning
    return logger
}()

/// Runs `body` with a migrated, running event log on a fresh database: the log's tables, and
/// those of `layers` (the migrations of the layers above it the test needs).
public func withEventLog<T: Sendable>(
    layers: [Migrator.Migration] = [],
    configure: (inout EventLog.Configuration) -> Void = { _ in },
    _ body: @escaping @Sendable (EventLog, DatabaseURL) async throws -> T
) async throws -> T {
    try await TestDatabase.with { url in
        var configuration = EventLog.Configuration()
        configure(&configuration)
        let log = EventLog(url: url, configuration: configuration, logger: testLogger)
        try await log.migrate(with: layers)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await log.run()
                return nil
            }
            group.addTask { try await body(log, url) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw TestSetupError("the event log stopped before the test finished")
        }
    }
}

/// A payload of JSON bytes.
public func json(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Runs SQL on the test's database and returns the first column of every row as text. With
/// `replica`, triggers are off for the session (how an operator would bypass the append-only guard).
public func sql(_ url: DatabaseURL, _ query: String, replica: Bool = false) async throws -> [String?] {
    try await TestDatabase.admin(url) { connection in
        if replica { try await connection.query("SET session_replication_role = replica", logger: testLogger) }
        var values: [String?] = []
        for try await value in try await connection.query(PostgresQuery(unsafeSQL: query), logger: testLogger).decode(String?.self) {
            values.append(value)
        }
        return values
    }
}
