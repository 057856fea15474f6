import ArgumentParser
import EventLog
import Foundation
import Logging
import Projections
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `parley serve`: runs the HTTP API, the WebSocket stream, the event log and the projectors in
/// one process. With no database URL it starts its own PostgreSQL in the data folder, and with no
/// token keys it makes development keys there, so it just works.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the Parley server (HTTP API, WebSocket stream, event log, projectors).")

    @Option(help: "PostgreSQL URL. Default: $PARLEY_DATABASE_URL, else a local PostgreSQL in <data-folder>/pg.")
    var databaseURL: String?
    @Option(help: ArgumentHelp(
        "PostgreSQL URL of a hot standby of the database to serve reads from: the live feed, inbox, unread, history, timelines, search. "
            + "Appends, projectors and migrations stay on --database-url. Default: $PARLEY_READ_DATABASE_URL, else the database itself."))
    var readDatabaseURL: String?
    @Option(help: "Milliseconds between reads of the hot standby's log head (a standby cannot LISTEN): the most a message waits there on top of replication lag.")
    var standbyPollMs = 20
    @Option(help: "Data folder: the local PostgreSQL and the development keys.") var dataFolder = ".parley"
    @Option(help: "Port of the local PostgreSQL.") var localPort = 54320
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "HS256 secret of user tokens (32 bytes or more). Default: $PARLEY_JWT_SECRET.") var jwtSecret: String?
    @Option(help: "PEM file of the ES256 or Ed25519 public key of user tokens. Default: $PARLEY_JWT_PUBLIC_KEY_FILE.")
    var jwtPublicKeyFile: String?
    @Option(help: "A platform API key (repeatable). Default: $PARLEY_PLATFORM_KEYS, comma-separated.")
    var platformKey: [String] = []
    @Option(help: "Events the projections and the live feed may trail the log by and still count as ready.")
    var readyLag: Int64 = 1_000
    @Option(help: "The most updates a client is sure to resume with; past that it resumes while they are at most 4 per inbox row, else gets a snapshot.")
    var maxResumeUpdates = 10_000
    @Option(help: "Frames a stream connection may have queued before it is closed as a slow consumer.") var queueFrames = 4_096
    @Option(help: "Messages per second per user, counted across every instance on the database (bursts of twice that).")
    var messagesPerSecond = 20.0
    @Option(help: "Typing notices per second per user, counted across every instance (bursts of twice that).") var typingPerSecond = 2.0
    @Option(help: "Seconds between deletions of the rate-limit rows of users whose buckets are full again.") var rateLimitSweepSeconds = 30.0
    @Option(help: "Seconds a stream connection may take to send hello.") var helloTimeout = 10.0
    @Option(help: "Seconds between the comments that keep an idle Server-Sent Events response open.") var heartbeatSeconds = 15.0
    @Option(help: "Seconds between WebSocket pings; a client that has not answered one by the next is closed (1001).") var pingSeconds = 30.0
    @Option(help: "Streams (WebSocket, Server-Sent Events, waiting long-polls) one user may hold open on this instance.")
    var maxConnectionsPerUser = 16
    @Option(help: "Streams this instance holds open in all; more are refused (close 1013, HTTP 503 over_capacity).")
    var maxConnections = 20_000
    @Option(help: "Milliseconds each projector but the inbox's (which live delivery waits on) lets events gather after a commit: fewer, larger transactions under load, at the price of that much lag.")
    var projectorBatchDelayMs = 20

    @OptionGroup(title: "Moderation") var moderation: ModerationOptions

    @Option(help: "Seconds one group-commit batch may take (connection lease included) before its appends are answered 503 unavailable.")
    var appendTimeout = 10.0
    @Option(help: "Seconds a shutdown may take (closing streams with 1012 first) before what still runs is cancelled.")
    var shutdownTimeout = 10.0

    func validate() throws {
        guard (1...65_535).contains(self.port) else { throw ValidationError("--port must be 1 to 65535; got \(self.port)") }
        guard self.appendTimeout > 0 else { throw ValidationError("--append-timeout must be positive") }
        guard self.shutdownTimeout > 0 else { throw ValidationError("--shutdown-timeout must be positive") }
        guard self.standbyPollMs > 0 else { throw ValidationError("--standby-poll-ms must be positive") }
        guard self.readyLag >= 0 else { throw ValidationError("--ready-lag must not be negative") }
        guard self.maxResumeUpdates > 0, self.queueFrames > 0, self.maxConnectionsPerUser > 0, self.maxConnections > 0 else {
            throw ValidationError("--max-resume-updates, --queue-frames, --max-connections-per-user and --max-connections must be positive")
        }
        guard self.heartbeatSeconds > 0, self.pingSeconds > 0 else { throw ValidationError("--heartbeat-seconds and --ping-seconds must be positive") }
        guard self.messagesPerSecond > 0, self.typingPerSecond > 0, self.rateLimitSweepSeconds > 0 else {
            throw ValidationError("--messages-per-second, --typing-per-second and --rate-limit-sweep-seconds must be positive")
        }
    }

    func run() async throws {
        var logger = Logger(label: "parley")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let environment = ProcessInfo.processInfo.environment
        let data = URL(fileURLWithPath: self.dataFolder)
        do {
            let (url, local) = try LocalPostgres(folder: data.appendingPathComponent("pg"), port: self.localPort).resolve(explicit: self.databaseURL)
            if local { logger.info("started the local PostgreSQL", metadata: ["url": "\(url)", "folder": "\(data.path)/pg"]) }
            var keys = TokenVerifier.Keys(
                hmacSecret: self.jwtSecret ?? environment["PARLEY_JWT_SECRET"],
                publicKeyPEM: try (self.jwtPublicKeyFile ?? environment["PARLEY_JWT_PUBLIC_KEY_FILE"]).map { try String(contentsOfFile: $0, encoding: .utf8) },
                platformKeys: self.platformKey + (environment["PARLEY_PLATFORM_KEYS"]?.split(separator: ",").map(String.init) ?? []))
            var development = ""
            if keys.hmacSecret == nil && keys.publicKeyPEM == nil {
                let generated = try DevelopmentKeys.load(in: data)
                keys.hmacSecret = generated.jwtSecret
                keys.platformKeys.append(generated.platformKey)
                development = """
                    DEVELOPMENT KEYS (no --jwt-secret or --jwt-public-key-file given), in \(data.path)/dev-keys.json:
                      a user token:   .build/debug/parley token --sub buyer-1 --role buyer --data-folder \(self.dataFolder)
                      platform key:   X-Parley-Platform-Key: \(generated.platformKey)

                    """
                logger.warning("serving with development keys; configure --jwt-secret or --jwt-public-key-file in production")
            }
            let verifier = try await TokenVerifier(keys)
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            var logConfiguration = EventLog.Configuration()
            logConfiguration.appendTimeout = .milliseconds(Int64(self.appendTimeout * 1_000))
            logConfiguration.standbyPollInterval = .milliseconds(self.standbyPollMs)
            let log = EventLog(url: url, configuration: logConfiguration, logger: logger)
            // The log's tables, the projections' and the server's own (shared rate limits).
            try await log.migrate(with: StoredProjections.migrations() + Migrator.bundled(in: .module))
            // A standby replicates the migrations; nothing is migrated or appended through it.
            let reads = try (self.readDatabaseURL ?? environment["PARLEY_READ_DATABASE_URL"]).map { text throws(EventLogError) in
                EventLog(url: try DatabaseURL(text), configuration: logConfiguration, logger: logger)
            } ?? log
            var settings = ParleyServer.Settings()
            settings.host = self.host
            settings.port = self.port
            settings.readyLag = self.readyLag
            settings.maxResumeUpdates = self.maxResumeUpdates
            settings.messagesPerSecond = self.messagesPerSecond
            settings.typingPerSecond = self.typingPerSecond
            settings.rateLimitSweep = .milliseconds(Int64(self.rateLimitSweepSeconds * 1_000))
            settings.stream.queueFrames = self.queueFrames
            settings.projectorBatchDelay = .milliseconds(self.projectorBatchDelayMs)
            settings.stream.helloTimeout = .milliseconds(Int64(self.helloTimeout * 1_000))
            settings.stream.heartbeat = .milliseconds(Int64(self.heartbeatSeconds * 1_000))
            settings.stream.ping = .milliseconds(Int64(self.pingSeconds * 1_000))
            settings.stream.maxConnectionsPerUser = self.maxConnectionsPerUser
            settings.stream.maxConnections = self.maxConnections
            settings.moderation = self.moderation.policy
            settings.spam = self.moderation.spam
            settings.newAccounts = self.moderation.newAccounts
            settings.escalation = self.moderation.escalation
            let banner = """
                parley is listening on http://\(self.host):\(self.port) (database \(url)\(reads === log ? "" : ", reads from \(reads.url)"))
                  GET /health, /ready, /metrics, /openapi.yaml; API under /v1; stream at ws://\(self.host):\(self.port)/v1/stream (fallbacks: /v1/events, /v1/updates)
                \(development)
                """
            let server = ParleyServer(log: log, reads: reads, verifier: verifier, settings: settings, registry: registry, logger: logger, banner: banner)
            let shutdownTimeout = Duration.milliseconds(Int64(self.shutdownTimeout * 1_000))
            let watchdog = ShutdownWatchdog(timeout: shutdownTimeout, grace: .seconds(2), logger: logger)
            var configuration = ServiceGroupConfiguration(
                services: server.services + [watchdog], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            configuration.maximumGracefulShutdownDuration = shutdownTimeout
            let group = ServiceGroup(configuration: configuration)
            try await group.run()
        } catch let error as EventLogError {
            throw ValidationError(error.message)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
