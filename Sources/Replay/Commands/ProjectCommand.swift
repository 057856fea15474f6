import ArgumentParser
import EventLog
import Logging
import Projections

/// `parley-replay project`: runs projectors until stopped, as the server does in-process. Several
/// may run at once (in several processes); one per projection is active, the others stand by.
struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Keep the stored projections up to date with the log until stopped.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "A projection to run (repeatable; default: all). One of: \(StoredProjections.names.joined(separator: ", ")).")
    var projection: [String] = []
    @Option(help: "Events per transaction at most.") var pageSize = 1_000

    func validate() throws {
        for name in self.projection where !StoredProjections.names.contains(name) {
            throw ValidationError("unknown projection \"\(name)\"; known: \(StoredProjections.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let names = self.projection.isEmpty ? StoredProjections.names : self.projection
        var tuning = ProjectorConfiguration()
        tuning.pageSize = self.pageSize
        let configuration = tuning
        try await self.database.withLog { log in
            var logger = Logger(label: "parley-replay")
            logger.logLevel = .warning
            try await StoredProjections.run(names, log: log, configuration: configuration, logger: logger)
        }
    }
}
