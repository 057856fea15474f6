import EventLog
import HTTPTypes
import Logging
import Metrics
import Projections
import ServiceLifecycle

/// The server's live view of the log: it tails the log from the start, applies every event to a
/// ``UserFeed``, keeps the recent updates for clients that reconnect, and hands each update to the
/// stream connections of its user.
///
/// Every server instance runs its own feed from the same log, so a message appended through one
/// instance reaches clients of every instance (the log's NOTIFY wakes them all): fan-out across
/// instances needs no broker. Subscribing and applying happen on this actor, so a client's
/// catch-up and its live updates meet at exactly one offset: no gap, no duplicate.
actor LiveFeed {
    /// How a stream connection starts.
    enum Start: Sendable {
        /// The client can resume: these are its missed updates; live ones follow after `live`.
        case resume(missed: [UserUpdate], live: Int64)
        /// The client starts from a snapshot of its inbox as of `offset`; live updates follow after it.
        case snapshot(reason: SnapshotReason, rows: [InboxRow], versions: [String: Int], offset: Int64)
    }

    /// Why a client gets a snapshot rather than its missed updates.
    enum SnapshotReason: String, Sendable {
        /// It named no offset: a first connection.
        case initial
        /// Its offset came from another log (a restored or replaced database).
        case epochChanged = "epoch_changed"
        /// It missed more than the server keeps, or more than a snapshot costs.
        case tooFarBehind = "too_far_behind"
        /// Its offset is ahead of this log.
        case unknownOffset = "unknown_offset"
    }

    /// A subscription refused because a connection limit is reached.
    struct LimitReached: Error, Sendable {
        /// How a WebSocket is closed for it.
        let reason: CloseReason

        /// How an HTTP request is answered for it: 429 `too_many_connections` or 503 `over_capacity`.
        var apiError: APIError {
            self.reason == .tooManyConnections
                ? APIError(.tooManyRequests, "too_many_connections", self.reason.text)
                : APIError(.serviceUnavailable, "over_capacity", self.reason.text)
        }
    }

    /// How many streams the feed serves: per user, and in all.
    struct Limits: Sendable {
        var perUser: Int
        var total: Int
    }

    nonisolated let log: EventLog
    /// The id of the log instance offsets belong to; known once the feed runs.
    private(set) var epoch = ""
    private let logger: Logger
    private let maxResumeUpdates: Int
    private let limits: Limits
    private var feed = UserFeed()
    private var recent: RecentUpdates
    private var subscribers: [String: [Int: Outbox]] = [:]
    private var nextSubscriber = 0
    private var shuttingDown = false
    /// Connections subscribed, across users.
    private(set) var subscriberCount = 0
    private var updates: [UserUpdate] = []
    private let delivered = Counter(label: "parley_stream_frames_total", dimensions: [("kind", "update")])
    private let overflowed = Counter(label: "parley_stream_slow_consumers_total")
    private let connections = Gauge(label: "parley_stream_connections")

    /// A feed of `log` keeping the updates of the last `window` events for resuming clients, and
    /// resuming a client only if it missed at most `maxResumeUpdates` updates, and serving at
    /// most `limits` streams.
    init(log: EventLog, window: Int, maxResumeUpdates: Int, limits: Limits, logger: Logger) {
        self.log = log
        self.logger = logger
        self.maxResumeUpdates = maxResumeUpdates
        self.limits = limits
        self.recent = RecentUpdates(capacity: window)
    }

    /// The position of the last event applied.
    var position: Int64 { self.feed.position }

    /// Reads the log's epoch, then tails the log from the start until cancelled. A failed read
    /// (the database went away) is retried with backoff from the last event applied, so the feed
    /// neither skips nor repeats an event and the server outlives the outage.
    func run() async {
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                if self.epoch.isEmpty { self.epoch = try await self.log.head().epoch }
                for try await page in self.log.tailPages(after: self.feed.position) {
                    self.apply(page)
                    backoff.reset()
                }
                return
            } catch {
                if Task.isCancelled { return }
                self.logger.warning(
                    "the live feed cannot read the log; retrying", metadata: ["position": "\(self.feed.position)", "error": "\(error)"])
                await backoff.sleep()
            }
        }
    }

    private func apply(_ page: [RecordedEvent]) {
        for recorded in page {
            let event: ProjectedEvent
            do {
                event = try ProjectedEvent(recorded)
            } catch {
                self.logger.error("the live feed skips an event it cannot decode", metadata: ["position": "\(recorded.position)", "error": "\(error)"])
                continue
            }
            self.updates.removeAll(keepingCapacity: true)
            self.feed.apply(event, into: &self.updates)
            self.recent.append(self.updates)
            for update in self.updates {
                guard let outboxes = self.subscribers[update.userId] else { continue }
                for (id, outbox) in outboxes where !outbox.send(.update(update)) {
                    if outbox.closeReason == .slowConsumer { self.overflowed.increment() }
                    self.remove(user: update.userId, id: id)
                }
                self.delivered.increment(by: Int64(outboxes.count))
            }
        }
    }

    /// Waits (polling, up to `timeout`) until the feed runs and has applied `position`; whether it has.
    func waitUntil(_ position: Int64, timeout: Duration = .seconds(2)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while self.epoch.isEmpty || self.feed.position < position {
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(1))) != nil else { return false }
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
    /// updates after `offset` (when `epoch` is this log's and they are held and few enough), else a
    /// snapshot. Returns the subscription's id for ``unsubscribe(user:id:)``.
    /// - Throws: ``LimitReached`` when the user, or the instance, holds as many streams as allowed.
    func subscribe(user: String, outbox: Outbox, after offset: Int64?, epoch: String?) throws(LimitReached) -> (id: Int, start: Start) {
        guard self.subscribers[user, default: [:]].count < self.limits.perUser else { throw LimitReached(reason: .tooManyConnections) }
        guard self.subscriberCount < self.limits.total else { throw LimitReached(reason: .overCapacity) }
        let id = self.nextSubscriber
        self.nextSubscriber += 1
        if self.shuttingDown {
            outbox.close(.serverShutdown)
        } else {
            self.subscribers[user, default: [:]][id] = outbox
            self.subscriberCount += 1
            self.connections.record(self.subscriberCount)
        }
        return (id, self.start(user: user, after: offset, epoch: epoch))
    }

    private func start(user: String, after offset: Int64?, epoch: String?) -> Start {
        let reason: SnapshotReason
        if let offset {
            if epoch != self.epoch {
                reason = .epochChanged
            } else if offset > self.feed.position {
                reason = .unknownOffset
            } else if let missed = self.recent.updates(for: user, after: offset), missed.count <= self.maxResumeUpdates {
                // What is current: a message staff redacted since it was sent is caught up without its text.
                let current = missed.map { update in
                    update.hidingRedacted(update.stream.category == "conversation" ? self.feed.conversation(update.stream.id)?.redacted ?? [] : [])
                }
                return .resume(missed: current, live: self.feed.position)
            } else {
                reason = .tooFarBehind
            }
        } else {
            reason = .initial
        }
        let rows = self.inbox(of: user)
        var versions: [String: Int] = [:]
        for row in rows { versions[row.conversationId] = self.feed.conversation(row.conversationId)?.version }
        return .snapshot(reason: reason, rows: rows, versions: versions, offset: self.feed.position)
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

    // MARK: Reads of the live state

    /// `user`'s inbox rows as of ``position``, most recent activity first.
    func inbox(of user: String) -> [InboxRow] {
        self.feed.inbox.rows(owner: user).sorted {
            ($0.lastActivityAt, $0.conversationId) > ($1.lastActivityAt, $1.conversationId)
        }
    }


    /// A conversation the feed knows.
    func conversation(_ id: String) -> UserFeed.Conversation? { self.feed.conversation(id) }

    /// `owner`'s row of a conversation.
    func row(owner: String, conversation: String) -> InboxRow? { self.feed.inbox.row(owner: owner, conversation: conversation) }

    /// A listing the platform described.
    func listing(_ id: String) -> ListingUpdated? { self.feed.listing(id) }

    /// An order's latest state change.
    func order(_ id: String) -> OrderStateChanged? { self.feed.order(id) }

    /// Whether `buyer` has an order from `vendor` that was not cancelled.
    func hasOrder(buyer: String, vendor: String) -> Bool { self.feed.hasOrder(buyer: buyer, vendor: vendor) }

    /// Whether `blocker` has blocked `blocked`.
    func hasBlocked(_ blocker: String, _ blocked: String) -> Bool { self.feed.inbox.hasBlocked(blocker, blocked) }

    /// Whether `buyer` has an order from `vendor` still under way.
    func hasActiveOrder(buyer: String, vendor: String) -> Bool { self.feed.hasActiveOrder(buyer: buyer, vendor: vendor) }
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
