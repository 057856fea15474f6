import EventLog
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import Moderation
import Prometheus
import Projections
import ServiceLifecycle

/// The server, assembled: routes, the live feed, the typing relay and the services they run as.
struct ParleyServer {
    /// Everything `parley serve` can set.
    struct Settings: Sendable {
        var host = "127.0.0.1"
        var port = 8080
        /// Events the projections may trail the log by and still count as ready.
        var readyLag: Int64 = 1_000
        /// The largest request body.
        var maxBodyBytes = 65_536
        /// The most updates a client is sure to resume with; more and it gets a snapshot unless
        /// they are at most ``LiveFeed/resumeRatio`` per inbox row.
        var maxResumeUpdates = 10_000
        /// Messages per second per user, across all instances (the burst is twice that, at least one).
        var messagesPerSecond = 20.0
        /// Typing notices per second per user, across all instances (the burst is twice that, at least one).
        var typingPerSecond = 2.0
        /// How often this instance deletes the rate-limit rows of users whose buckets are full again.
        var rateLimitSweep: Duration = .seconds(30)
        var stream = StreamEndpoint.Settings()
        /// How long each projector lets events gather after a commit (see ``ProjectorConfiguration/batchDelay``).
        var projectorBatchDelay: Duration = .milliseconds(20)
        /// How messages with contact details or payment talk are handled.
        var moderation = ModerationPolicy()
        /// When near-duplicate messages to many people count as spam.
        var spam = SpamPolicy()
        /// The stricter limits of new accounts.
        var newAccounts = NewAccountPolicy()
        /// How repeated contact and payment attempts escalate a sender's standing.
        var escalation = EscalationPolicy()
    }

    let services: [any Service]

    private static func projectors(_ settings: Settings) -> ProjectorConfiguration {
        var configuration = ProjectorConfiguration()
        configuration.batchDelay = settings.projectorBatchDelay
        return configuration
    }

    /// Assembles the server on `log` (migrated), checking tokens with `verifier`. Appends, the
    /// projectors and the checks writes depend on use `log`; the live feed and the API's reads use
    /// `reads`, which is `log` itself or a hot standby of its database (`--read-database-url`).
    init(
        log: EventLog, reads: EventLog, verifier: TokenVerifier, settings: Settings, registry: PrometheusCollectorRegistry, logger: Logger,
        banner: String
    ) {
        let readSide = ReadSide(log: reads)
        let feed = LiveFeed(
            log: reads, maxResumeUpdates: settings.maxResumeUpdates,
            limits: LiveFeed.Limits(perUser: settings.stream.maxConnectionsPerUser, total: settings.stream.maxConnections), logger: logger)
        let commands = Commands(
            log: log, recent: RecentEvents(log: log), limits: Commands.Limits(),
            messageLimiter: SharedRateLimiter(
                "messages", perSecond: settings.messagesPerSecond, burst: settings.messagesPerSecond * 2, log: log, logger: logger),
            moderator: Moderator(policy: settings.moderation), spamPolicy: settings.spam, newAccountPolicy: settings.newAccounts,
            escalationPolicy: settings.escalation, clock: { Timestamp.now() })
        let typing = TypingRelay(client: log.client, feed: feed, logger: logger)

        let router = Router(context: ParleyContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: MetricsMiddleware())
        HealthRoutes(log: log, reads: reads, feed: feed, readyLag: settings.readyLag).add(to: router)
        MetricsRoutes(registry: registry).add(to: router)
        OpenAPIRoutes().add(to: router)
        StreamEndpoint(
            settings: settings.stream, feed: feed, commands: commands, typing: typing,
            typingLimiter: SharedRateLimiter(
                "typing", perSecond: settings.typingPerSecond, burst: settings.typingPerSecond * 2, log: log, logger: logger)
        ).add(to: router, verifier: verifier)
        ServerSentEvents(settings: settings.stream, feed: feed).add(to: router, verifier: verifier)
        let api = router.group("v1").add(middleware: AuthMiddleware(verifier: verifier))
        ConversationRoutes(commands: commands, reads: readSide, maxBodyBytes: settings.maxBodyBytes).add(to: api)
        InboxRoutes(reads: readSide, feed: feed).add(to: api)
        LongPoll(settings: settings.stream, feed: feed).add(to: api)
        SettingsRoutes(commands: commands, maxBodyBytes: settings.maxBodyBytes).add(to: api)
        StaffRoutes(commands: commands, reads: readSide, maxBodyBytes: settings.maxBodyBytes).add(to: api)
        StaffViewRoutes(commands: commands).add(to: api)
        ReviewRoutes(commands: commands, reads: readSide, maxBodyBytes: settings.maxBodyBytes).add(to: api)
        StandingRoutes(commands: commands, reads: readSide, maxBodyBytes: settings.maxBodyBytes).add(to: api)
        PlatformRoutes(commands: commands, maxBodyBytes: settings.maxBodyBytes).add(to: api)

        let webSocketResponder = router.buildResponder()
        let app = Application(
            router: router,
            server: HTTPServerBuilder { responder in
                ClosingUpgradeChannel(upgrading: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: .init(
                        ws: .init(maxFrameSize: settings.stream.maxFrameBytes, autoPing: .enabled(timePeriod: settings.stream.ping)))))
            },
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "parley"),
            onServerRunning: { _ in
                // Written unbuffered, so scripts and logs see it at once.
                FileHandle.standardOutput.write(Data(banner.utf8))
            },
            logger: logger)
        // Stopped in reverse order: stream clients hear the resume code before the HTTP server
        // stops, and the logs outlive everything that appends to or reads them.
        self.services = [log] + (reads === log ? [] : [reads]) + [
            ProjectorsService(log: log, configuration: Self.projectors(settings), logger: logger), LiveFeedService(feed: feed), typing, app, StreamShutdownService(feed: feed),
            RateLimitSweeper(client: log.client, interval: settings.rateLimitSweep, logger: logger),
        ]
    }
}
