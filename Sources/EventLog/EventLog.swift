public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization
import _ConnectionPoolModule

/// Parley's append-only event log in PostgreSQL: durable, gap-free, hash-chained, LZ4-compressed.
///
/// Run it (``run()``, a ServiceLifecycle `Service`) for as long as it is used: it runs the
/// PostgreSQL client, the group-commit writer and the head watcher that wakes tailers.
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
        /// Train the first compression dictionary once the log holds this many events (nil: never
        /// automatically). Default 1,000.
        public var trainDictionaryAfter: Int? = 1_000
        /// How long one group-commit batch may take, connection lease included, before its appends
        /// are answered `.unavailable` and its connection is closed. Default 30 s: long enough for
        /// a batch of the largest payloads on a loaded machine, short enough that nothing hangs
        /// for good (`parley serve` sets its own, `--append-timeout`).
        public var appendTimeout: Duration = .seconds(30)
        /// The most connections to PostgreSQL. Default 20.
        public var maxConnections = 20
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
    let watcher = HeadWatcher()
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
        self.client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.catalog = EventCatalog(client: self.client)
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
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
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
        let stranded = self.queue.withLock { $0.close() }
        for waiter in stranded {
            waiter.resume(returning: .failure(EventLogError(.unavailable, "the event log shut down before the append was written")))
        }
    }

    /// Why appends cannot be written now (the database went away and has not answered since), or
    /// nil while the write path works. Readiness checks report it.
    public var writeProblem: String? { self.writePath.withLock { $0 } }

    /// The log's head: the position of its last event, and the epoch that names this log instance.
    public func head() async throws(EventLogError) -> (position: Int64, epoch: String) {
        try await EventLogError.wrapping("reading the head") {
            let rows = try await self.client.query("SELECT position, epoch::text FROM parley_log_head", logger: self.logger)
            for try await (position, epoch) in rows.decode((Int64, String).self) { return (position, epoch) }
            throw EventLogError(.unavailable, "the log has no head row; run the migrations")
        }
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
