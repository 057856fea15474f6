import ArgumentParser
import EventLog
import Foundation
import Logging
import Projections

/// Where the log is, found the way the server finds it: `--database-url`, else the environment
/// variable `PARLEY_DATABASE_URL`, else the local PostgreSQL in the data folder (started if needed).
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (postgres://user@host:port/database). Default: $PARLEY_DATABASE_URL, else the local data folder.")
    var databaseURL: String?

    @Option(help: "Data folder of the local PostgreSQL used when no URL is given.")
    var dataFolder = ".parley/pg"

    @Option(help: "Port of the local PostgreSQL.")
    var localPort = 54320

    /// Opens the log (migrating it), runs `body` while it runs, then stops it. Errors of the log
    /// become one line on stderr and a non-zero exit.
    func withLog<T: Sendable>(_ body: @escaping @Sendable (EventLog) async throws -> T) async throws -> T {
        var logger = Logger(label: "parley-replay")
        logger.logLevel = .error
        do {
            let url = try LocalPostgres(folder: URL(fileURLWithPath: self.dataFolder), port: self.localPort)
                .resolve(explicit: self.databaseURL).url
            let log = EventLog(url: url, logger: logger)
            try await log.migrate(with: StoredProjections.migrations())
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await log.run()
                    return nil
                }
                group.addTask { try await body(log) }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let result { return result }
                }
                throw ReplayFailure("the event log stopped unexpectedly")
            }
        } catch let error as EventLogError {
            throw ReplayFailure(error.message)
        }
    }
}

/// A failure reported as one line on stderr with a non-zero exit.
struct ReplayFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
