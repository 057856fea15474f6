public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization
import _ConnectionPoolModule

/// Parley's append-only event log in PostgreSQL: durable, gap-free, hash-chained, LZ4-compressed.
///
/// Run it (``run()``, a ServiceLifecycle `Service`) for as long as it is used: it runs the
/// PostgreSQL client, the group-commit writer and the head watcher that wakes tailers.
///
/// A log over a hot standby (a streaming replica of the primary's database) reads and tails as
/// one over the primary does, behind it by the replication lag; its head watcher polls instead of
/// listening (``Configuration/standbyPollInterval``). Nothing can be appended through it.
public final class EventLog: Service, Sendable {
    /// Tuning and limits; every field has a sensible default.
    public struct Configuration: Sendable {
        /// The largest payload accepted, in bytes. Default 64 KiB.
        public var maxPayloadBytes = 65_536
        /// The most events one group-commit transaction carries. Default 4,096.
        public var maxBatchEvents = 4_096
        /// Events per read while tailing or paging. Default 1,000.
        public var pageSize = 1_000
        /// How long a tailer waits for a wake-up before it polls anyway. Default 1 s.
        public var tailPollInterval: Duration = .seconds(1)
        /// How often a hot standby, which refuses `LISTEN` and so never hears the primary's NOTIFY,
        /// is asked how far it has replayed: tailers there wake when that moved. Default
        /// 20 ms: one single-row read 50 times a second per process, for at most 20 ms of extra
        /// latency on top of the replication lag (docs/SCALING.md has what it costs).
        public var standbyPollInterval: Duration = .milliseconds(20)
        /// Train the first compression dictionary once the log holds this many events (nil: never
        /// automatically). Default 1,000.
        public var trainDictionaryAfter: Int? = 1_000
        /// How long one group-commit batch may take, connection lease included, before its appends
        /// are answered `.unavailable` and its connection is closed. Default 30 s: long enough for
        /// a batch of the largest payloads on a loaded machine, short enough that nothing hangs
        /// for good (`parley serve` sets its own, `--append-timeout`).
        public var appendTimeout: Duration = .seconds(30)
        /// The most connections to PostgreSQL. Default 48: a server's projectors each hold one
        /// for their lock and lease another for each transaction, and listeners hold theirs, so
        /// at 20 the requests of a loaded instance queued behind them (and, after a database
        /// restart, behind leases PostgresNIO never hands back, see ``run()``) for good.
        public var maxConnections = 48
        /// How long a connection opened for a burst of work stays open idle before it is closed.
        /// Default 10 s (PostgresNIO's own 60 s keeps every instance at its maximum for a minute
        /// after a burst, which many instances on one database feel as a shortage of connections).
        public var idleConnectionTimeout: Duration = .seconds(10)
        /// The clock that stamps `recordedAt`.
        public var clock: @Sendable () -> Timestamp = { Timestamp.now() }

        /// The defaults.
        public init() {}
    }

    /// Where the database is.
    public let url: DatabaseURL
    /// The configuration in force.
    public let configuration: Configuration
    /// The PostgreSQL client, shared with the layers above (projections, server).
    public let client: PostgresClient
    /// Where the log and its pool report.
    public let logger: Logger
    let catalog: EventCatalog
    let watcher: HeadWatcher
    let queue = Mutex(GroupCommitQueue<CheckedContinuation<Result<AppendResult, EventLogError>, Never>>())
    /// The dictionary writers should compress with, as last learned from the head or a training here.
    let activeDictionary = Mutex<Int16?>(nil)
    /// Why the write path is down (the last failure), or nil while appends are being written.
    let writePath = Mutex<String?>(nil)
    let wakeups: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    /// Creates a log over the database at `url`; nothing connects until ``run()``.
    public init(url: DatabaseURL, configuration: Configuration = Configuration(), logger: Logger) {
        self.url = url
        self.configuration = configuration
        self.logger = logger
        var clientConfiguration = url.clientConfiguration()
        clientConfiguration.options.maximumConnections = configuration.maxConnections
        clientConfiguration.options.connectionIdleTimeout = configuration.idleConnectionTimeout
        self.client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.catalog = EventCatalog(client: self.client)
        self.watcher = HeadWatcher(standbyPollInterval: configuration.standbyPollInterval)
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Applies the SQL migrations the database lacks: the log's own, and `layers`' (the
    /// migrations of the layers above that keep tables beside the log). Safe to run twice and
    /// concurrently.
    public func migrate(with layers: [Migrator.Migration] = []) async throws(EventLogError) {
        try await Migrator(migrations: try Migrator().migrations + layers).migrate(url: self.url, logger: self.logger)
    }

    /// Runs the client, the writer and the head watcher until the task is cancelled or the
    /// service group shuts down; appends still queued then fail with `.unavailable`.
    public func run() async throws {
        // The client runs until every leased connection is back, and a lease whose query
        // PostgresNIO never answers (one written to a connection that had just closed) never
        // comes back: its run is waited for a moment at shutdown, then left.
        let client = Task { await self.client.run() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watcher.listen(client: self.client, logger: self.logger) }
            group.addTask {
                try? await cancelWhenGracefulShutdown {
                    await GroupCommitWriter(log: self).run()
                }
            }
            // The writer ends on cancellation or graceful shutdown; the rest follow it.
            await group.next()
            group.cancelAll()
        }
        client.cancel()
        do {
            try await withDeadline(Self.clientShutdownGrace, "closing the connection pool") { await client.value }
        } catch {
            self.logger.warning("the connection pool did not close; leaving it", metadata: ["error": "\(error)"])
        }
        let stranded = self.queue.withLock { $0.close() }
        for waiter in stranded {
            waiter.resume(returning: .failure(EventLogError(.unavailable, "the event log shut down before the append was written")))
        }
    }

    /// How long a shutdown waits for the connection pool to close.
    static let clientShutdownGrace: Duration = .seconds(2)

    /// Why appends cannot be written now (the database went away and has not answered since), or
    /// nil while the write path works. Readiness checks report it.
    public var writeProblem: String? { self.writePath.withLock { $0 } }

    /// The log's head: the position of its last event, and the epoch that names this log instance.
    public func head() async throws(EventLogError) -> (position: Int64, epoch: String) {
        try await EventLogError.wrapping("reading the head") {
            try await self.withOpenConnection { connection in
                let rows = try await connection.query("SELECT position, epoch::text FROM parley_log_head", logger: self.logger)
                for try await (position, epoch) in rows.decode((Int64, String).self) { return (position, epoch) }
                throw EventLogError(.unavailable, "the log has no head row; run the migrations")
            }
        }
    }

    /// Runs `body` on a pooled connection, given up should the connection close under it:
    /// PostgresNIO can leave a query on a connection that has just closed unanswered for good
    /// (see ``PostgresNIO/PostgresConnection/whileOpen(grace:_:)``), and the log's readers (tails,
    /// projectors, the live feed) must outlive a database restart. A cancelled reader's query is
    /// left to finish: closing a pooled connection for every reader that goes away (a client
    /// cutting its stream) would make the pool reconnect all the time.
    func withOpenConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await self.client.withConnection { connection in try await connection.whileOpen(closingOnCancel: false, body) }
    }
}

extension EventLogError {
    /// Runs `body`, turning any error that is not already an ``EventLogError`` into one:
    /// `.unavailable` when the database cannot be reached (see ``isOutage(_:)``), else `.database`.
    static func wrapping<T>(_ what: String, _ body: () async throws -> T) async throws(EventLogError) -> T {
        do {
            return try await body()
        } catch let error as EventLogError {
            throw error
        } catch let error as PSQLError {
            let detail = error.serverInfo?[.message] ?? String(describing: error.code)
            throw EventLogError(Self.isOutage(error) ? .unavailable : .database, "\(what) failed: \(detail)")
        } catch let error as ConnectionPoolError {
            throw EventLogError(.unavailable, "\(what) failed: no connection to the database (\(error))")
        } catch {
            throw EventLogError(.database, "\(what) failed: \(error)")
        }
    }

    /// Whether `error` means PostgreSQL cannot be reached or is going away (the connection broke,
    /// or the server is shutting down or starting up: SQLSTATE classes 08 and 57), rather than
    /// that it refused a statement.
    static func isOutage(_ error: PSQLError) -> Bool {
        switch error.code {
        case .clientClosedConnection, .serverClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return true
        default:
            guard let state = error.serverInfo?[.sqlState] else { return false }
            return state.hasPrefix("08") || state.hasPrefix("57")
        }
    }
}
