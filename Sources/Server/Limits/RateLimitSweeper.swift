import Logging
import PostgresNIO
import ServiceLifecycle

/// Deletes the rows of ``SharedRateLimiter`` whose buckets are full again (their `tat` has
/// passed), every `interval`, so the table holds only users who acted a moment ago. Every
/// instance sweeps; a sweep that fails (the database is away) is tried again at the next tick.
struct RateLimitSweeper: Service {
    let client: PostgresClient
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.interval)
                    try await self.client.query("DELETE FROM parley_rate_limits WHERE tat < clock_timestamp()", logger: self.logger)
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.debug("rate-limit sweep failed; tried again later", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
