import ArgumentParser
import EventLog
import Foundation
import Hummingbird
import Logging
import Projections
import ServiceLifecycle

/// `parley serve`: runs the HTTP server, the event log and the projectors in one process.
/// With no database URL it starts its own PostgreSQL in the data folder, so it just works.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the Parley server (HTTP API, event log, projectors).")

    @Option(help: "PostgreSQL URL. Default: $PARLEY_DATABASE_URL, else a local PostgreSQL in --data-folder.")
    var databaseURL: String?
    @Option(help: "Data folder of the local PostgreSQL started when no URL is given.") var dataFolder = ".parley/pg"
    @Option(help: "Port of the local PostgreSQL.") var localPort = 54320
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Events the projections may trail the log by and still count as ready.") var readyLag: Int64 = 1_000

    func validate() throws {
        guard (1...65_535).contains(self.port) else { throw ValidationError("--port must be 1 to 65535; got \(self.port)") }
        guard self.readyLag >= 0 else { throw ValidationError("--ready-lag must not be negative") }
    }

    func run() async throws {
        var logger = Logger(label: "parley")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        do {
            let (url, local) = try LocalPostgres(folder: URL(fileURLWithPath: self.dataFolder), port: self.localPort)
                .resolve(explicit: self.databaseURL)
            if local { logger.info("started the local PostgreSQL", metadata: ["url": "\(url)", "folder": "\(self.dataFolder)"]) }
            let log = EventLog(url: url, logger: logger)
            try await log.migrate()
            let router = Router()
            HealthRoutes(log: log, readyLag: self.readyLag).add(to: router)
            let app = Application(
                router: router,
                configuration: .init(address: .hostname(self.host, port: self.port), serverName: "parley"),
                services: [log, ProjectorsService(log: log, logger: logger)],
                onServerRunning: { [host, port] _ in
                    // Written unbuffered, so scripts and logs see it at once.
                    FileHandle.standardOutput.write(
                        Data("parley is listening on http://\(host):\(port) (database \(url)); GET /health, /ready\n".utf8))
                },
                logger: logger)
            try await app.runService()
        } catch let error as EventLogError {
            throw ValidationError(error.message)
        }
    }
}
