import PostgresNIO
import Synchronization

/// One spell of a projector's work (lease a connection, take the projection's lock, project),
/// run as a task of its own that its projector can walk away from.
///
/// After PostgreSQL restarts, a query of PostgresNIO can wait for good on a pooled connection, and
/// it does not answer cancellation: a projector waiting on it would stop its projection until the
/// process restarts, and hold a shutdown until the watchdog ends the process. So a session reports
/// that it is alive (every read of the log, idle ones included, and every commit), and its
/// projector, which waits for it from outside, gives it up when it stops reporting for the stall
/// timeout or when the projector is cancelled: it closes the session's lock connection (so the
/// lock is free for the next session, in this process or another) and cancels it. A session given
/// up that is truly stuck stays parked with its connection lease; that is logged as an error.
final class ProjectorSession: Sendable {
    /// How a session ended, as its projector saw it.
    enum Outcome: Sendable {
        /// It returned or threw (`error` nil when it returned).
        case ended(error: (any Error)?)
        /// It reported nothing for the stall timeout.
        case stalled
        /// The projector was cancelled (a shutdown).
        case cancelled
    }

    private struct State {
        var lastAlive = ContinuousClock.now
        var lockConnection: PostgresConnection?
        var outcome: Outcome?
        var workEnded = false
        var waiter: CheckedContinuation<Outcome, Never>?
    }

    private let state = Mutex(State())

    /// Records that the session is alive now.
    func alive() { self.state.withLock { $0.lastAlive = .now } }

    /// Records the connection holding the session's lock, to close should the session be given up.
    func holding(_ connection: PostgresConnection?) { self.state.withLock { $0.lockConnection = connection } }

    /// Runs `work` as the session's task and waits until it ends, stalls for `stallTimeout`, or
    /// the caller is cancelled. A session that did not end is cancelled and its lock connection
    /// closed; the caller does not wait for it any longer than `grace`.
    func run(
        stallTimeout: Duration, grace: Duration, _ work: @escaping @Sendable (ProjectorSession) async throws -> Void
    ) async -> Outcome {
        let task = Task { try await work(self) }
        Task {
            let result = await task.result
            self.state.withLock { $0.workEnded = true }
            self.finish(.ended(error: { if case .failure(let error) = result { error } else { nil } }()))
        }
        Task {
            while !self.isFinished {
                try? await Task.sleep(for: .milliseconds(250))
                let age = self.state.withLock { ContinuousClock.now - $0.lastAlive }
                if age > stallTimeout { self.finish(.stalled) }
            }
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = self.state.withLock { state -> Outcome? in
                    if let outcome = state.outcome { return outcome }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.finish(.cancelled)
        }
        if case .ended = outcome { return outcome }
        task.cancel()
        let connection = self.state.withLock { $0.lockConnection }
        try? await connection?.close()
        // Give a session that answers cancellation the time to end (and unlock) before moving on.
        let deadline = ContinuousClock.now + grace
        while !self.state.withLock({ $0.workEnded }), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return outcome
    }

    private var isFinished: Bool { self.state.withLock { $0.outcome != nil } }

    /// Records the first outcome and wakes the waiter, if any; later outcomes change nothing.
    private func finish(_ outcome: Outcome) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }
}
