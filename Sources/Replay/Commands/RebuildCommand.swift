import ArgumentParser
import EventLog
import Foundation
import Logging
import Projections

/// `parley-replay rebuild`: rebuilds stored projections from the whole log into shadow tables while
/// the live ones keep serving and the log keeps growing, then swaps each in atomically. The
/// projections chosen (all by default) rebuild together from one scan of the log.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Rebuild stored projections from the log without taking them offline.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "A projection to rebuild (repeatable; default: all). One of: \(StoredProjections.names.joined(separator: ", ")).")
    var projection: [String] = []
    @Flag(help: "Rebuild every stored projection (the default when no --projection is given).") var all = false

    func validate() throws {
        if self.all, !self.projection.isEmpty { throw ValidationError("--all and --projection exclude each other") }
        for name in self.projection where !StoredProjections.names.contains(name) {
            throw ValidationError("unknown projection \"\(name)\"; known: \(StoredProjections.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let names = self.projection.isEmpty ? StoredProjections.names : self.projection
        try await self.database.withLog { log in
            var logger = Logger(label: "parley-replay")
            logger.logLevel = .warning
            let started = ContinuousClock.now
            let progress = Progress(total: Int(try await log.head().position), label: "rebuilding \(names.joined(separator: ", ")):")
            let reports = try await StoredProjections.rebuild(names, log: log, logger: logger) { position, _ in
                progress.update(Int(position))
            }
            progress.finish()
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            for report in reports {
                print("rebuilt \(report.projection): \(report.events) events to position \(report.position), \(report.rows) rows")
            }
            print(String(format: "rebuilt %d projections from one scan of the log in %.1f s", reports.count, seconds))
        }
    }
}
