/// Runs `body`; if it has not finished within `timeout`, runs `onTimeout` (which should make
/// `body` finish, for example by closing the connection it waits on), cancels `body` and throws
/// `EventLogError(.unavailable, …)` naming `what`.
///
/// Waiting on PostgreSQL is the one place a server can hang for good (a dead connection that no
/// one notices, a pool waiting for a database that is down); every wait that a client or a
/// supervisor is behind goes through a deadline.
public func withDeadline<T: Sendable>(
    _ timeout: Duration, _ what: String, onTimeout: @escaping @Sendable () async -> Void = {},
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: DeadlineOutcome<T>.self) { group in
        group.addTask { .finished(try await body()) }
        group.addTask {
            try await Task.sleep(for: timeout)
            return .timedOut
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        switch first {
        case .finished(let value):
            return value
        case .timedOut:
            await onTimeout()
            throw EventLogError(.unavailable, "\(what) did not finish within \(timeout); the database may be down")
        }
    }
}

private enum DeadlineOutcome<T: Sendable>: Sendable {
    case finished(T)
    case timedOut
}
