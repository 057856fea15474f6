import Synchronization

/// Runs `body` in a task of its own and returns what it returns, unless it is given up first:
/// when `trigger` returns a reason (it is polled once, as a task of its own, and should wait for
/// its condition), or when the caller is cancelled and `releaseOnCancel` is set. Giving up runs
/// `release` (which should make `body` end, for example by closing the connection it waits on),
/// cancels `body` and waits at most `grace` more for it; the caller then stops waiting and gets
/// `body`'s own outcome if it came in time, else the reason (`CancellationError` for a cancelled
/// caller). A caller cancelled without `releaseOnCancel` only cancels `body` and keeps waiting,
/// for it or for the trigger.
///
/// Why a task of its own: PostgresNIO drops a query written to a connection that has just closed
/// without ever answering it, and the wait for that answer ignores cancellation. Structured
/// concurrency would wait for such a query forever (a task group waits for its children, even
/// cancelled ones), so the waits that must end walk away from it instead. A task walked away from
/// stays suspended on its dead query and holds nothing else.
func walkingAway<T: Sendable>(
    grace: Duration,
    trigger: @escaping @Sendable () async -> (any Error)?,
    releaseOnCancel: Bool,
    release: @escaping @Sendable () async -> Void,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = Outcome<T>()
    let work = Task {
        do {
            outcome.settle(.success(try await body()))
        } catch {
            outcome.settle(.failure(error))
        }
    }
    let givingUp = Mutex(false)
    let giveUp: @Sendable (any Error) -> Void = { reason in
        guard givingUp.withLock({ first in defer { first = true }; return !first }) else { return }
        Task {
            await release()
            work.cancel()
            try? await Task.sleep(for: grace)
            outcome.settle(.failure(reason))
        }
    }
    let watcher = Task {
        if let reason = await trigger() { giveUp(reason) }
    }
    defer { watcher.cancel() }
    return try await withTaskCancellationHandler {
        try await outcome.value()
    } onCancel: {
        if releaseOnCancel { giveUp(CancellationError()) } else { work.cancel() }
    }
}

/// The first result settled for a wait, handed to the one waiter.
private final class Outcome<T: Sendable>: Sendable {
    private enum State {
        case pending(CheckedContinuation<Result<T, any Error>, Never>?)
        case settled(Result<T, any Error>)
    }

    private let state = Mutex(State.pending(nil))

    /// Records `result` unless one was recorded already, and wakes the waiter.
    func settle(_ result: Result<T, any Error>) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Result<T, any Error>, Never>? in
            guard case .pending(let waiter) = state else { return nil }
            state = .settled(result)
            return waiter
        }
        waiter?.resume(returning: result)
    }

    /// Waits for the first result.
    func value() async throws -> T {
        let result = await withCheckedContinuation { continuation in
            let settled = self.state.withLock { state -> Result<T, any Error>? in
                switch state {
                case .settled(let result):
                    return result
                case .pending:
                    state = .pending(continuation)
                    return nil
                }
            }
            if let settled { continuation.resume(returning: settled) }
        }
        return try result.get()
    }
}
