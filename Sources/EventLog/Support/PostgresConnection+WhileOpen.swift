public import PostgresNIO

extension PostgresConnection {
    /// Runs `body`, work on this connection, for as long as the connection is open: once it has
    /// closed (the database restarted, or dropped it), `body` is cancelled and waited for at most
    /// `grace` more, then given up with ``EventLogError`` `.unavailable`. Cancelling the caller
    /// cancels `body`; with `closingOnCancel` it also closes the connection (so that no work of
    /// `body` can go on on it after it is handed back to a pool) and gives `body` up the same way,
    /// with `CancellationError`; without, it waits on for `body` (a query on an open connection is
    /// answered), or for the connection to close. So does
    /// `stalled` returning true (it is asked every 100 ms): for work that can say it is stuck.
    ///
    /// For work that must not wait for good on a dead connection: PostgresNIO drops a query
    /// written to a connection that has just closed without ever answering it (a `ROLLBACK` after
    /// the statement before it failed with the connection, say), and that wait ignores
    /// cancellation. A `body` given up stays suspended on its dead query; it holds nothing else.
    public func whileOpen<T: Sendable>(
        grace: Duration = .seconds(1), closingOnCancel: Bool = true, stalled: (@Sendable () -> Bool)? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await walkingAway(
            grace: grace,
            trigger: {
                while !self.isClosed {
                    if stalled?() == true {
                        try? await self.close()
                        return EventLogError(.unavailable, "the work on the database connection stalled; its connection was closed")
                    }
                    do { try await Task.sleep(for: .milliseconds(100)) } catch { return nil }
                }
                return EventLogError(.unavailable, "the database connection closed under the work on it")
            },
            releaseOnCancel: closingOnCancel,
            release: { try? await self.close() },
            { try await body(self) })
    }
}
