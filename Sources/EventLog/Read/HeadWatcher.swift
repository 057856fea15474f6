public import Logging
public import PostgresNIO
import Synchronization

/// Wakes tailers when the log's head moves: on a NOTIFY from any process's commit, and directly
/// after this process's own commits. Tailers poll slowly as well, so a lost notification (say,
/// while the listening connection reconnects) costs latency, never events. Other positions that
/// move with a NOTIFY (a projection's checkpoint) are watched the same way on their own channel.
///
/// A hot standby refuses `LISTEN` and never hears the primary's NOTIFY: there the watcher polls
/// instead, every `standbyPollInterval`, and wakes its waiters whenever the standby has replayed
/// more of the primary's WAL (`pg_last_wal_replay_lsn()`), which every commit on the primary that
/// would have notified moves, whatever the channel.
public final class HeadWatcher: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())
    private let channel: String
    private let standbyPollInterval: Duration

    /// A watcher woken by NOTIFYs on `channel`, or on a hot standby by a poll every
    /// `standbyPollInterval` (see ``EventLog/Configuration/standbyPollInterval``).
    public init(channel: String = "parley_log", standbyPollInterval: Duration = .milliseconds(20)) {
        self.channel = channel
        self.standbyPollInterval = standbyPollInterval
    }

    /// Increases with every wake-up; a tailer reads it before a read and waits for it to change.
    public var generation: UInt64 { self.state.withLock { $0.generation } }

    /// Records that the head moved and wakes every waiter.
    public func headMoved() {
        let waiters = self.state.withLock { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the generation differs from `generation`, after `timeout`, or on cancellation.
    public func wait(after generation: UInt64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForMove(after: generation) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForMove(after generation: UInt64) async {
        let id = self.state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Listens on its channel until cancelled, reconnecting after failures. On a hot standby
    /// (`pg_is_in_recovery()`) it polls instead, and listens once the standby is promoted.
    public func listen(client: PostgresClient, logger: Logger) async {
        var backoff = Backoff(initial: .milliseconds(200))
        while !Task.isCancelled {
            do {
                if try await Self.inRecovery(client: client, logger: logger) {
                    try await self.poll(client: client, backoff: &backoff, logger: logger)
                    continue
                }
                try await client.withConnection { connection in
                    try await connection.listen(on: self.channel) { notifications in
                        // Events may have been committed while (re)connecting.
                        self.headMoved()
                        backoff.reset()
                        for try await _ in notifications { self.headMoved() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("notifications lost; reconnecting", metadata: ["channel": "\(self.channel)", "error": "\(error)"])
                await backoff.sleep()
            }
        }
    }

    /// Whether the database is a hot standby replaying the primary's WAL.
    private static func inRecovery(client: PostgresClient, logger: Logger) async throws -> Bool {
        for try await recovering in try await client.query("SELECT pg_is_in_recovery()", logger: logger).decode(Bool.self) {
            return recovering
        }
        return false
    }

    /// Reads how far a standby has replayed every ``standbyPollInterval``, waking waiters whenever
    /// that moved (and once at the start, as a new listener does); returns when the database is no
    /// longer in recovery. Each read leases a pooled connection: one held across a standby restart
    /// kept the pool from shutting down.
    private func poll(client: PostgresClient, backoff: inout Backoff, logger: Logger) async throws {
        var last: String?
        while true {
            var recovering = false
            for try await (replayed, standby) in try await client.execute(StandbyReplayStatement(), logger: logger) {
                recovering = standby
                if replayed != last { self.headMoved() }
                last = replayed
            }
            backoff.reset()
            guard recovering else { return }
            try await Task.sleep(for: self.standbyPollInterval)
        }
    }
}

/// How far a standby has replayed the primary's WAL, and whether it is still one; prepared once per connection.
struct StandbyReplayStatement: PostgresPreparedStatement {
    typealias Row = (String?, Bool)
    static let sql = "SELECT pg_last_wal_replay_lsn()::text, pg_is_in_recovery()"

    func makeBindings() throws -> PostgresBindings { PostgresBindings() }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
