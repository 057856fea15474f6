import Foundation
import Logging
import ServiceLifecycle

/// Bounds shutdown whatever the database does: the service group escalates a graceful shutdown
/// that overruns `timeout` to cancellation, and should anything still hang after `grace` more,
/// this watchdog ends the process with status 1 and says so. Listed last among the services, so
/// it hears the shutdown first.
struct ShutdownWatchdog: Service {
    let timeout: Duration
    let grace: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let deadline = self.timeout + self.grace
        let logger = self.logger
        // Not a child task: the group's cancellation, once the shutdown finished, must not stop it
        // early — the process simply exits before it fires.
        Task.detached {
            try? await Task.sleep(for: deadline)
            logger.critical("shutdown did not finish within \(deadline); exiting")
            exit(1)
        }
    }
}
