import EventLog
import Logging
import PostgresNIO
import Projections

/// Where the API's reads go: the read database, which is the primary or, with
/// `--read-database-url`, a hot standby of it that trails the primary by the replication lag.
/// Every read runs within ``Commands/readDeadline`` (a standby that went away is answered 503,
/// not waited on), and a read that must see the caller's own write passes that write's offset as
/// `after`: it waits, within the same deadline, until the table it reads reflects the offset.
struct ReadSide: Sendable {
    /// The log of the read database.
    let log: EventLog

    /// Runs `body`, reads of the read database, within `timeout` (by default ``Commands/readDeadline``).
    /// - Throws: ``APIError`` 503 `unavailable` ("`what` could not be read: …") when they fail or overrun.
    func read<T: Sendable>(
        _ what: String, within timeout: Duration = Commands.readDeadline, _ body: @escaping @Sendable (EventLog) async throws -> T
    ) async throws(APIError) -> T {
        let log = self.log
        do {
            return try await withDeadline(timeout, "reading \(what)") { try await body(log) }
        } catch let error as APIError {
            throw error
        } catch {
            throw .unavailable("\(what) could not be read: \(String(reflecting: error))")
        }
    }

    /// Waits until the stored projection `name` reflects `offset` on the read database (nothing
    /// to wait for when `offset` is 0).
    /// - Throws: ``APIError`` 503 `unavailable` when it does not within ``Commands/readDeadline``.
    func wait(for name: String, reaching offset: Int64, logger: Logger) async throws(APIError) {
        guard offset > 0 else { return }
        // The wait bounds itself; the deadline (a second later) catches a read that hangs.
        let reached = try await self.read("the \(name) projection", within: Commands.readDeadline + .seconds(1)) { log in
            try await StoredProjections.wait(for: name, reaching: offset, timeout: Commands.readDeadline, client: log.client, logger: logger)
        }
        guard reached else { throw .unavailable("offset \(offset) is not in the \(name) yet; retry shortly") }
    }

    /// Waits until the read database's log holds `offset` (nothing to wait for when it is 0).
    /// - Throws: ``APIError`` 503 `unavailable` when it does not within ``Commands/readDeadline``.
    func waitForLog(reaching offset: Int64) async throws(APIError) {
        guard offset > 0 else { return }
        let reached: Bool
        do {
            reached = try await self.log.waitForHead(reaching: offset, timeout: Commands.readDeadline)
        } catch {
            throw APIError(error)
        }
        guard reached else { throw .unavailable("offset \(offset) is not in the log this server reads yet; retry shortly") }
    }
}
