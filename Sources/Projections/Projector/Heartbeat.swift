import Synchronization

/// When work last said it was alive: a projector's session beats it at every read of the log and
/// every commit, and is given up when it stays silent too long.
final class Heartbeat: Sendable {
    private let last = Mutex(ContinuousClock.now)

    /// Records that the work is alive now.
    @Sendable func beat() { self.last.withLock { $0 = .now } }

    /// Whether the work has been silent for longer than `timeout`.
    func silent(for timeout: Duration) -> Bool { self.last.withLock { ContinuousClock.now - $0 } > timeout }
}
