import Logging
import PostgresNIO
import Synchronization

/// Wakes tailers when the log's head moves: on a NOTIFY from any process's commit, and directly
/// after this process's own commits. Tailers poll slowly as well, so a lost notification (say,
/// while the listening connection reconnects) costs latency, never events.
final class HeadWatcher: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Increases with every wake-up; a tailer reads it before a read and waits for it to change.
    var generation: UInt64 { self.state.withLock { $0.generation } }

    /// Records that the head moved and wakes every waiter.
    func headMoved() {
        let waiters = self.state.withLock { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the generation differs from `generation`, after `timeout`, or on cancellation.
    func wait(after generation: UInt64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForMove(after: generation) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForMove(after generation: UInt64) async {
        let id = self.state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Listens on `parley_log` until cancelled, reconnecting after failures.
    func listen(client: PostgresClient, logger: Logger) async {
        var backoff = Backoff(initial: .milliseconds(200))
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: "parley_log") { notifications in
                        // Events may have been committed while (re)connecting.
                        self.headMoved()
                        backoff.reset()
                        for try await _ in notifications { self.headMoved() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("log notifications lost; reconnecting", metadata: ["error": "\(error)"])
                await backoff.sleep()
            }
        }
    }
}
