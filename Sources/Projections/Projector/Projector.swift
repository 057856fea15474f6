public import EventLog
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// Keeps one stored projection up to date with the log: the shell around the pure projection.
///
/// Only one projector per projection is active across all processes: it holds a session advisory
/// lock named after the projection, and the others stand by, trying again every
/// `standbyInterval`. The active one follows the tail after the checkpoint a page at a time,
/// reading nothing before it: it loads the stored rows the page touches, applies the page to
/// them, and writes the changed rows and the new checkpoint in ONE transaction — so a crash never
/// applies an event twice or skips one, and its start-up and memory do not grow with the log.
/// The checkpoint moves only from the position (and generation) this projector read, so a second
/// writer, or a rebuild that swapped tables in, makes it start over.
public final class Projector<P: ResumableProjection>: Service, Sendable {
    private let log: EventLog
    private let configuration: ProjectorConfiguration
    private let logger: Logger

    /// A projector for `P` over `log`.
    public init(log: EventLog, configuration: ProjectorConfiguration = ProjectorConfiguration(), logger: Logger) {
        self.log = log
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "projection"] = "\(P.name)"
        self.logger = logger
    }

    /// Stands by, or projects while it holds the projection's lock, until cancelled or shut down.
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.log.client.withConnection { lockConnection in
                        // The lock is gone with its connection's session (the database restarted or
                        // dropped it): all work done under it is given up then, including work left
                        // waiting on a query PostgresNIO will never answer, which would otherwise
                        // stop the projection, and hold a shutdown, for good.
                        // So is work stuck elsewhere (a pooled query that will never be answered):
                        // the projector reads the log at least every poll interval, idle or not.
                        let heartbeat = Heartbeat()
                        let stallTimeout = self.configuration.stallTimeout
                        try await lockConnection.whileOpen(stalled: { heartbeat.silent(for: stallTimeout) }) { lockConnection in
                            guard try await Self.tryLock(on: lockConnection, logger: self.logger) else { return }
                            do {
                                try await self.project(heartbeat: heartbeat)
                            } catch {
                                if !lockConnection.isClosed { try? await Self.unlock(on: lockConnection, logger: self.logger) }
                                throw error
                            }
                            // A query on a closed connection may never be answered: no unlock then.
                            if !lockConnection.isClosed { try await Self.unlock(on: lockConnection, logger: self.logger) }
                        }
                    }
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    self.logger.warning("projector restarting", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.configuration.standbyInterval)
            }
        }
    }

    /// Follows the tail from the checkpoint until the checkpoint moves under it, beating
    /// `heartbeat` at every read of the log and every commit.
    private func project(heartbeat: Heartbeat) async throws {
        var checkpoint = try await ProjectionCheckpoint.read(P.name, client: self.log.client, logger: self.logger)
        self.logger.info("projector active", metadata: ["position": "\(checkpoint.position)"])
        heartbeat.beat()
        let pages = self.log.tailPages(after: checkpoint.position, pageSize: self.configuration.pageSize, onRead: heartbeat.beat)
        for try await page in pages {
            let events = page.compactMap(self.decode)
            // With the lock held no other projector writes the rows; a rebuild swapping tables in
            // meanwhile changes the generation, and the checkpoint save below then fails.
            var projection = try await P.loading(for: events, client: self.log.client, logger: self.logger)
            let changes = projection.apply(batch: events)
            let next = ProjectionCheckpoint(projection: P.name, position: page.last!.position, generation: checkpoint.generation)
            let previous = checkpoint
            try await self.log.client.withConnection { connection in
                // A connection that closes mid-transaction would leave its ROLLBACK unanswered.
                try await connection.whileOpen { connection in
                    try await connection.withTransaction(logger: self.logger) { connection in
                        // Rows and checkpoint commit together, without waiting for the disk: they
                        // derive from the durable log, so a crash loses at most the last moments of
                        // work, redone from the checkpoint that survived, and the appends' own
                        // commits do not queue behind every projector's WAL flush.
                        try await connection.query("SET LOCAL synchronous_commit = off", logger: self.logger)
                        if !changes.isEmpty {
                            // The tables first, in the order a rebuild's swap locks them, whatever order
                            // `write` touches them in: the two never wait on each other crosswise (deadlock).
                            try await connection.query(
                                "LOCK TABLE \(unescaped: P.tables.joined(separator: ", ")) IN ROW EXCLUSIVE MODE", logger: self.logger)
                            try await P.write(changes, suffix: "", on: connection, logger: self.logger)
                        }
                        try await next.save(replacing: previous, on: connection, logger: self.logger)
                        if P.announcesCommits {
                            try await connection.query("SELECT pg_notify(\(StoredProjections.commitChannel), \(P.name))", logger: self.logger)
                        }
                    }
                }
            }
            checkpoint = next
            heartbeat.beat()
            self.configuration.onCommit?(P.name, next.position)
            if self.configuration.batchDelay > .zero { try await Task.sleep(for: self.configuration.batchDelay) }
        }
    }

    /// The projection's view of an event: nil for types it does not know (other producers' events).
    private func decode(_ event: RecordedEvent) -> ProjectedEvent? {
        do {
            return try ProjectedEvent(event)
        } catch {
            if error.code != .unknownEventType {
                self.logger.error("event cannot be projected; skipped", metadata: ["position": "\(event.position)", "error": "\(error)"])
            }
            return nil
        }
    }

    private static var lockKey: Int64 { ProjectionCheckpoint.lockKey(P.name) }

    private static func tryLock(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await locked in try await connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))", logger: logger).decode(Bool.self) {
            return locked
        }
        return false
    }

    private static func unlock(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
    }
}

/// Tuning of a ``Projector``; every field has a default.
public struct ProjectorConfiguration: Sendable {
    /// Events per page (and so per transaction) at most. Default 1,000.
    public var pageSize = 1_000
    /// How often a standby projector tries to become the active one. Default 1 s.
    public var standbyInterval: Duration = .seconds(1)
    /// How long the active projector may go without reading the log (it reads at least every
    /// tail poll interval, idle or not) or committing before its work is given up as stuck: its
    /// lock connection is closed (freeing the lock) and it starts over. Default 15 s.
    public var stallTimeout: Duration = .seconds(15)
    /// How long the active projector waits after a commit before it reads the next page, so
    /// that under steady appends each transaction covers more events (fewer commits, each a WAL
    /// flush) at the price of up to this much more lag. Default none.
    public var batchDelay: Duration = .zero
    /// Called after each commit with the projection's name and the position its tables now
    /// reflect (for readiness checks and lag measurements). Default none.
    public var onCommit: (@Sendable (_ projection: String, _ position: Int64) -> Void)?

    /// The defaults.
    public init() {}
}
