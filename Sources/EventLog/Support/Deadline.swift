/// Runs `body`; if it has not finished within `timeout`, runs `onTimeout` (which should make
/// `body` finish, for example by closing the connection it waits on), cancels `body` and throws
/// `EventLogError(.unavailable, …)` naming `what`, without waiting for `body` any longer: a query
/// PostgresNIO never answers ignores cancellation (see `walkingAway`). Cancelling the caller
/// cancels `body` and waits on, for it or for the deadline.
///
/// Waiting on PostgreSQL is the one place a server can hang for good (a dead connection that no
/// one notices, a pool waiting for a database that is down); every wait that a client or a
/// supervisor is behind goes through a deadline.
public func withDeadline<T: Sendable>(
    _ timeout: Duration, _ what: String, onTimeout: @escaping @Sendable () async -> Void = {},
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await walkingAway(
        grace: .zero,
        trigger: {
            do { try await Task.sleep(for: timeout) } catch { return nil }
            return EventLogError(.unavailable, "\(what) did not finish within \(timeout); the database may be down")
        },
        releaseOnCancel: false, release: onTimeout, body)
}
