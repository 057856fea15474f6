import EventLog
import Logging
import PostgresNIO

/// Per-user rate limits of one kind of action (messages, typing notices), shared by every server
/// instance on the database: several `parley serve` processes do not multiply a user's limit.
///
/// A token bucket of `burst` actions refilled at `perSecond`, kept as the generic cell rate
/// algorithm's one timestamp per user (the theoretical arrival time, `tat`) in the unlogged table
/// `parley_rate_limits`, taken and moved in one atomic statement. A user whose `tat` has passed
/// holds a full bucket, so their row carries nothing and ``RateLimitSweeper`` deletes it: the
/// table holds only users who acted within the last `burst / perSecond` seconds, and the process
/// holds no per-user state at all.
struct SharedRateLimiter: Sendable {
    /// What is limited: the table's `kind`.
    let kind: String
    /// Microseconds per action at the sustained rate.
    let interval: Int64
    /// How far ahead of now a user's `tat` may run and still act: `burst - 1` intervals.
    let tolerance: Int64
    let log: EventLog
    let logger: Logger

    /// A limiter of `kind` allowing `perSecond` actions a second with bursts of `burst` (at least one).
    init(_ kind: String, perSecond: Double, burst: Double, log: EventLog, logger: Logger) {
        self.kind = kind
        self.interval = Int64((1_000_000 / perSecond).rounded(.up))
        self.tolerance = Int64((max(burst, 1) - 1) * Double(self.interval))
        self.log = log
        self.logger = logger
    }

    /// The deadline of one check: a rate limit must not hold a send for long.
    static let deadline: Duration = .seconds(5)

    /// Takes one action from `user`'s bucket if it has one; whether the action may go ahead.
    /// - Throws: ``APIError`` 503 at once while the log's write path is down (the action could not
    ///   go ahead anyway), or when the database cannot be asked in time.
    func allow(_ user: String) async throws(APIError) -> Bool {
        if let problem = self.log.writeProblem { throw APIError(EventLogError(.unavailable, problem)) }
        let (kind, interval, tolerance, client, logger) = (self.kind, self.interval, self.tolerance, self.log.client, self.logger)
        do {
            return try await withDeadline(Self.deadline, "checking the \(kind) rate limit") {
                let rows = try await client.query(
                    """
                    INSERT INTO parley_rate_limits AS r (kind, user_id, tat)
                    VALUES (\(kind), \(user), clock_timestamp() + \(interval) * INTERVAL '1 microsecond')
                    ON CONFLICT (kind, user_id) DO UPDATE
                        SET tat = greatest(r.tat, clock_timestamp()) + \(interval) * INTERVAL '1 microsecond'
                        WHERE r.tat - clock_timestamp() <= \(tolerance) * INTERVAL '1 microsecond'
                    RETURNING true
                    """, logger: logger)
                for try await _ in rows { return true }
                return false
            }
        } catch {
            throw .unavailable("the \(kind) rate limit could not be checked: \(error)")
        }
    }
}
