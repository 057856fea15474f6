import ArgumentParser
import EventLog
import Foundation
import Logging
import Projections

/// `parley-replay rebuild`: rebuilds stored projections from the whole log into shadow tables while
/// the live ones keep serving and the log keeps growing, then swaps each in atomically.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Rebuild stored projections from the log without taking them offline.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "A projection to rebuild (repeatable; default: all). One of: \(StoredProjections.names.joined(separator: ", ")).")
    var projection: [String] = []

    func validate() throws {
        for name in self.projection where !StoredProjections.names.contains(name) {
            throw ValidationError("unknown projection \"\(name)\"; known: \(StoredProjections.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let names = self.projection.isEmpty ? StoredProjections.names : self.projection
        try await self.database.withLog { log in
            var logger = Logger(label: "parley-replay")
            logger.logLevel = .warning
            for name in names {
                let started = ContinuousClock.now
                let progress = Progress(total: Int(try await log.head().position), label: "rebuilding \(name):")
                let report = try await StoredProjections.rebuild(name, log: log, logger: logger) { position, _ in
                    progress.update(Int(position))
                }
                progress.finish()
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print(String(format: "rebuilt %@: %lld events to position %lld, %d rows, %.1f s",
                             name, report.events, report.position, report.rows, seconds))
            }
        }
    }
}
