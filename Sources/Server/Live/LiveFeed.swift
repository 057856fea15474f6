import EventLog
import HTTPTypes
import Logging
import Metrics
import Projections
import ServiceLifecycle

/// The server's live view of the log: it hands each user's updates to the stream connections of
/// that user, as the inbox's projector stores them (``UserFeed`` is that projector's projection:
/// it writes every user's updates in the same transaction as the inbox).
///
/// The feed starts where the stored updates are, at once, whatever the log's length, and holds
/// nothing but its connections: every instance follows the same stored updates (woken by the
/// projector's NOTIFY), so a message appended through one instance reaches clients of every
/// instance, and a client that reconnects to any instance is caught up from the same stored
/// updates. Subscribing and handing on happen on this actor, so a client's catch-up and its live
/// updates meet at exactly one offset: no gap, no duplicate.
actor LiveFeed {
    /// How a stream connection starts.
    enum Start: Sendable {
        /// The client can resume: its missed updates are those stored after `after` through
        /// `live` (read with ``missed(_:after:through:limit:timeout:)``); live ones follow after `live`.
        case resume(after: Int64, live: Int64)
        /// The client starts from a snapshot of its inbox as of `offset`; live updates follow after it.
        case snapshot(reason: SnapshotReason, rows: [InboxRow], versions: [String: Int], offset: Int64)

        /// The offset after which the live updates queued for the client are its own: those up to it
        /// are in its catch-up.
        var live: Int64 {
            switch self {
            case .resume(_, let live): live
            case .snapshot(_, _, _, let offset): offset
            }
        }
    }

    /// Why a client gets a snapshot rather than its missed updates.
    enum SnapshotReason: String, Sendable {
        /// It named no offset: a first connection.
        case initial
        /// Its offset came from another log (a restored or replaced database).
        case epochChanged = "epoch_changed"
        /// Its offset is older than the stored updates (the inbox was rebuilt since), or it missed
        /// more updates than a snapshot costs (see ``LiveFeed/resumeRatio``).
        case tooFarBehind = "too_far_behind"
        /// Its offset is ahead of this log.
        case unknownOffset = "unknown_offset"
    }

    /// A subscription refused: a connection limit is reached, or its snapshot cannot be read now.
    struct Refused: Error, Sendable {
        /// How a WebSocket is closed for it.
        let reason: CloseReason

        /// How an HTTP request is answered for it: 429 `too_many_connections`, 503 `over_capacity`,
        /// or 503 `unavailable`.
        var apiError: APIError {
            switch self.reason {
            case .tooManyConnections: APIError(.tooManyRequests, "too_many_connections", self.reason.text)
            case .overCapacity: APIError(.serviceUnavailable, "over_capacity", self.reason.text)
            default: .unavailable(self.reason.text)
            }
        }
    }

    /// How many streams the feed serves: per user, and in all.
    struct Limits: Sendable {
        var perUser: Int
        var total: Int
    }

    /// A client that missed more than `maxResumeUpdates` updates is still caught up with them
    /// while they are at most this many times its inbox rows; past that a snapshot is cheaper.
    static let resumeRatio = 4
    /// The most log positions one read of the stored updates covers.
    static let positionsPerRead: Int64 = 2_000
    /// How long one of the feed's reads may take before it is given up and tried again: after a
    /// database restart PostgresNIO may never answer a query (see `withDeadline`), and a feed
    /// waiting on one would stop handing on updates for good.
    static let readDeadline: Duration = .seconds(10)

    nonisolated let log: EventLog
    /// The id of the log instance offsets belong to; known once the feed runs.
    private(set) var epoch = ""
    /// The position through which the feed has handed on the stored updates.
    private(set) var position: Int64 = 0
    private let logger: Logger
    private let maxResumeUpdates: Int
    private let limits: Limits
    private let commits: HeadWatcher
    /// Wakes the waiters of ``waitUntil(_:timeout:)`` each time the feed moves on (never listens).
    private let moved = HeadWatcher()
    private var subscribers: [String: [Int: Outbox]] = [:]
    private var nextSubscriber = 0
    private var shuttingDown = false
    /// Connections subscribed, across users.
    private(set) var subscriberCount = 0
    private let delivered = Counter(label: "parley_stream_frames_total", dimensions: [("kind", "update")])
    private let overflowed = Counter(label: "parley_stream_slow_consumers_total")
    private let connections = Gauge(label: "parley_stream_connections")

    /// A feed of `log` resuming a client that missed at most `maxResumeUpdates` updates (or more,
    /// up to ``resumeRatio`` per inbox row), and serving at most `limits` streams.
    init(log: EventLog, maxResumeUpdates: Int, limits: Limits, logger: Logger) {
        self.log = log
        self.logger = logger
        // A hot standby cannot LISTEN: there the watcher polls, as often as the log's own does.
        self.commits = HeadWatcher(channel: StoredProjections.commitChannel, standbyPollInterval: log.configuration.standbyPollInterval)
        self.maxResumeUpdates = maxResumeUpdates
        self.limits = limits
    }

    /// Reads the log's epoch and where the stored updates stand, then hands on the updates the
    /// inbox's projector stores as it commits them, until cancelled. A failed read (the database
    /// went away) is retried with backoff from the last position handed on, so the feed neither
    /// skips nor repeats an update and the server outlives the outage.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            let (commits, client, logger) = (self.commits, self.log.client, self.logger)
            group.addTask { await commits.listen(client: client, logger: logger) }
            await self.follow()
            group.cancelAll()
        }
    }

    private func follow() async {
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                let generation = self.commits.generation
                let (client, logger) = (self.log.client, self.logger)
                let stored = try await withDeadline(Self.readDeadline, "reading the inbox's checkpoint") {
                    try await StoredProjections.checkpoint(UserFeed.name, client: client, logger: logger)
                }
                if self.epoch.isEmpty {
                    self.position = stored
                    self.epoch = try await self.log.head().epoch
                    self.moved.headMoved()
                    self.logger.info("the live feed starts", metadata: ["position": "\(stored)"])
                }
                if stored > self.position {
                    try await self.handOn(through: stored)
                } else {
                    // A lost notification costs latency, never updates: the checkpoint is read again.
                    await self.commits.wait(after: generation, timeout: .milliseconds(250))
                }
                backoff.reset()
            } catch {
                if Task.isCancelled { return }
                self.logger.warning(
                    "the live feed cannot read the stored updates; retrying", metadata: ["position": "\(self.position)", "error": "\(error)"])
                await backoff.sleep()
            }
        }
    }

    /// Hands on the stored updates after ``position`` through `stored`, a range of positions at a time.
    private func handOn(through stored: Int64) async throws {
        while self.position < stored {
            let (start, end) = (self.position, min(stored, self.position + Self.positionsPerRead))
            let (log, logger) = (self.log, self.logger)
            let updates = try await withDeadline(Self.readDeadline, "reading the stored updates") {
                try await UserFeed.updates(after: start, through: end, log: log, logger: logger)
            }
            for update in updates {
                guard let outboxes = self.subscribers[update.userId] else { continue }
                for (id, outbox) in outboxes where !outbox.send(.update(update)) {
                    if outbox.closeReason == .slowConsumer { self.overflowed.increment() }
                    self.remove(user: update.userId, id: id)
                }
                self.delivered.increment(by: Int64(outboxes.count))
            }
            self.position = end
            self.moved.headMoved()
        }
    }

    /// Waits (up to `timeout`) until the feed runs and has handed on `position`; whether it has.
    /// Woken each time the feed moves on, not by polling.
    func waitUntil(_ position: Int64, timeout: Duration = .seconds(2)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while self.epoch.isEmpty || self.position < position {
            let generation = self.moved.generation
            let left = deadline - ContinuousClock.now
            guard left > .zero, !Task.isCancelled else { return false }
            await self.moved.wait(after: generation, timeout: left)
        }
        return true
    }

    /// Waits (up to `timeout`) until the feed has applied every event committed when it is called,
    /// and the `offset` a client resumes from too: a client that opens a stream right after a
    /// write, through any instance, finds that write in its snapshot or catch-up instead of among
    /// its live updates. When the log head cannot be read in time the feed starts the client from
    /// where it is, which is consistent too (the client then receives the write as a live update).
    /// - Throws: ``CatchingUp`` when the log holds `offset` (of this log's `epoch`) but the feed has
    ///   not reached it in time (the instance just started and is still reading the log): the
    ///   client is told to resume again shortly, rather than sent a snapshot as though its offset
    ///   were unknown.
    nonisolated func catchUp(resuming offset: Int64?, epoch: String?, timeout: Duration = .seconds(5)) async throws(CatchingUp) {
        let deadline = ContinuousClock.now + timeout
        let log = self.log
        let head = try? await withDeadline(timeout, "reading the log head") { try await log.head().position }
        if await self.waitUntil(max(head ?? 0, offset ?? 0), timeout: max(.zero, deadline - ContinuousClock.now)) { return }
        guard let offset, let head, offset <= head, epoch == (await self.epoch), offset > (await self.position) else { return }
        throw CatchingUp()
    }

    /// A client resumes from an offset the log holds and this instance's feed has not reached yet.
    struct CatchingUp: Error, Sendable {
        /// How a WebSocket is closed for it.
        let reason = CloseReason.catchingUp
        /// How an HTTP request is answered for it: 503 `unavailable`.
        var apiError: APIError { .unavailable(self.reason.text) }
    }

    /// Registers `outbox` for `user`'s live updates and says how the client starts: its missed
    /// updates after `offset` (when `epoch` is this log's and the stored updates can catch it up,
    /// ``isResumable(_:after:)``), else a snapshot. Returns the subscription's id for
    /// ``unsubscribe(user:id:)``.
    /// - Throws: ``Refused`` when the user, or the instance, holds as many streams as allowed, or
    ///   the snapshot cannot be read in time.
    nonisolated func subscribe(user: String, outbox: Outbox, after offset: Int64?, epoch: String?) async throws(Refused) -> (id: Int, start: Start) {
        var resumable = false
        if let offset {
            do {
                resumable = try await self.isResumable(user, after: offset)
            } catch {
                self.logger.warning("the stored updates cannot be read; the client resumes later", metadata: ["user": "\(user)", "error": "\(error)"])
                throw Refused(reason: .catchingUp)
            }
        }
        let (id, plan) = try await self.register(user: user, outbox: outbox, after: offset, epoch: epoch, resumable: resumable)
        switch plan {
        case .resume(let after, let live):
            return (id, .resume(after: after, live: live))
        case .snapshot(let reason):
            // Read after registering: the stored inbox then reflects at least the position live
            // updates start after (the feed never hands on beyond the projector's checkpoint), and
            // the client skips the queued updates its snapshot already holds (``Start/live``).
            do {
                let (client, logger) = (self.log.client, self.logger)
                let snapshot = try await withDeadline(.seconds(5), "reading a snapshot") {
                    try await UserFeed.snapshot(of: user, client: client, logger: logger)
                }
                return (id, .snapshot(reason: reason, rows: snapshot.rows, versions: snapshot.versions, offset: snapshot.position))
            } catch {
                self.logger.warning("a snapshot cannot be read", metadata: ["user": "\(user)", "error": "\(error)"])
                await self.unsubscribe(user: user, id: id)
                throw Refused(reason: .catchingUp)
            }
        }
    }

    /// Whether the stored updates can catch `user` up from `offset`: they reach back to it, and
    /// they are few enough (at most `maxResumeUpdates`, or at most ``resumeRatio`` per inbox row).
    /// - Throws: when they cannot be read within ``readDeadline`` (the database is away).
    private nonisolated func isResumable(_ user: String, after offset: Int64) async throws -> Bool {
        let (client, logger, maxResumeUpdates) = (self.log.client, self.logger, self.maxResumeUpdates)
        // What the catch-up would send: the updates through where live ones start (about the feed's position now).
        let live = await self.position
        return try await withDeadline(Self.readDeadline, "counting a client's missed updates") {
            guard try await UserFeed.updateFloor(client: client, logger: logger) <= offset else { return false }
            let missed = try await UserFeed.updateCount(for: user, after: offset, through: live, client: client, logger: logger)
            if missed <= maxResumeUpdates { return true }
            return missed <= Self.resumeRatio * (try await Inbox.rowCount(owner: user, client: client, logger: logger))
        }
    }

    private func register(
        user: String, outbox: Outbox, after offset: Int64?, epoch: String?, resumable: Bool
    ) throws(Refused) -> (id: Int, start: Plan) {
        guard self.subscribers[user, default: [:]].count < self.limits.perUser else { throw Refused(reason: .tooManyConnections) }
        guard self.subscriberCount < self.limits.total else { throw Refused(reason: .overCapacity) }
        let id = self.nextSubscriber
        self.nextSubscriber += 1
        if self.shuttingDown {
            outbox.close(.serverShutdown)
        } else {
            self.subscribers[user, default: [:]][id] = outbox
            self.subscriberCount += 1
            self.connections.record(self.subscriberCount)
        }
        return (id, self.plan(after: offset, epoch: epoch, resumable: resumable))
    }

    /// How a subscription registered now starts: resumed from the stored updates, or from a
    /// snapshot read next (for this reason).
    private enum Plan {
        case resume(after: Int64, live: Int64)
        case snapshot(SnapshotReason)
    }

    private func plan(after offset: Int64?, epoch: String?, resumable: Bool) -> Plan {
        guard let offset else { return .snapshot(.initial) }
        if epoch != self.epoch { return .snapshot(.epochChanged) }
        if offset > self.position { return .snapshot(.unknownOffset) }
        return resumable ? .resume(after: offset, live: self.position) : .snapshot(.tooFarBehind)
    }

    /// `user`'s stored updates after `offset` through `live`, oldest first, at most `limit`, as
    /// the user may read them now (redacted messages without their text). Waits (up to `timeout`)
    /// until the inbox's projector has stored the updates through `live`.
    /// - Throws: ``CatchingUp`` when it has not in time, or they cannot be read: the client is
    ///   told to resume again shortly.
    nonisolated func missed(_ user: String, after offset: Int64, through live: Int64, limit: Int, timeout: Duration = .seconds(5)) async throws(CatchingUp) -> [UserUpdate] {
        let (log, logger) = (self.log, self.logger)
        do {
            let stored = try await withDeadline(timeout + .seconds(1), "waiting for the stored updates") {
                try await StoredProjections.wait(for: UserFeed.name, reaching: live, timeout: timeout, client: log.client, logger: logger)
            }
            guard stored else {
                logger.info("the stored updates are behind a resuming client's catch-up", metadata: ["user": "\(user)", "live": "\(live)"])
                throw CatchingUp()
            }
            return try await withDeadline(Self.readDeadline, "reading a client's missed updates") {
                try await UserFeed.updates(for: user, after: offset, through: live, limit: limit, log: log, logger: logger)
            }
        } catch let error as CatchingUp {
            throw error
        } catch {
            logger.warning("a client's missed updates cannot be read", metadata: ["user": "\(user)", "error": "\(error)"])
            throw CatchingUp()
        }
    }

    /// Stops sending `user`'s updates to subscription `id`.
    func unsubscribe(user: String, id: Int) {
        self.remove(user: user, id: id)
    }

    private func remove(user: String, id: Int) {
        guard self.subscribers[user]?.removeValue(forKey: id) != nil else { return }
        if self.subscribers[user]?.isEmpty == true { self.subscribers[user] = nil }
        self.subscriberCount -= 1
        self.connections.record(self.subscriberCount)
    }

    /// Hands an ephemeral frame (a typing notice) to every connection of `user` on this instance.
    func deliverEphemeral(_ frame: [UInt8], to user: String) {
        for outbox in self.subscribers[user, default: [:]].values { outbox.send(.frame(frame)) }
    }

    /// Closes every connection with the resume code: the server is shutting down.
    func closeAll() {
        self.shuttingDown = true
        for outboxes in self.subscribers.values {
            for outbox in outboxes.values { outbox.close(.serverShutdown) }
        }
        self.subscribers = [:]
        self.subscriberCount = 0
        self.connections.record(0)
    }
}

/// Runs the live feed as a service of the server.
struct LiveFeedService: Service {
    let feed: LiveFeed

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.feed.run() }
    }
}

/// The first service to stop on shutdown: closes every stream connection with the resume code
/// before the HTTP server stops, so clients know to reconnect and resume.
struct StreamShutdownService: Service {
    let feed: LiveFeed

    func run() async throws {
        try? await gracefulShutdown()
        await self.feed.closeAll()
        // Give the writers a moment to send their close frames before the server stops.
        try? await Task.sleep(for: .milliseconds(200))
    }
}
