import Synchronization

/// What the reconnect storm counts: which clients received the update they missed while away,
/// and how many resumed (their missed update, then `live`, no snapshot) within the window.
final class StormTally: Sendable {
    /// ``now()`` when the first reconnect was due.
    let start: Double
    /// Seconds after `start` by which a client must be live to count as resumed in time.
    let window: Double
    /// For each client that missed a message while away, the text that marks its update.
    let expected: [String: String]
    /// Scheduled reconnect → `live`.
    let live = Latencies()
    private let state = Mutex(State())

    private struct State {
        var got: Set<String> = []
        var resumedInTime = 0
        var resumedLate = 0
        var notResumed = 0
    }

    init(start: Double, window: Double, expected: [String: String]) {
        self.start = start
        self.window = window
        self.expected = expected
    }

    /// Notes a frame `user` received: whether it is the update they missed.
    func received(_ frame: String, by user: String) {
        guard let marker = self.expected[user], frame.hasPrefix(#"{"type":"update""#), frame.contains(marker) else { return }
        self.state.withLock { _ = $0.got.insert(user) }
    }

    /// Records how `user`'s reconnect, due at `due`, ended: `live` at `liveAt` (nil if never),
    /// and whether the server answered with a snapshot (a reset) instead of the missed updates.
    func finished(_ user: String, due: Double, liveAt: Double?, snapshot: Bool) {
        if let liveAt { self.live.record(seconds: liveAt - due) }
        self.state.withLock { state in
            let gotMissed = self.expected[user] == nil || state.got.contains(user)
            guard let liveAt, !snapshot, gotMissed else {
                state.notResumed += 1
                return
            }
            if liveAt - self.start <= self.window { state.resumedInTime += 1 } else { state.resumedLate += 1 }
        }
    }

    /// Clients resumed within the window, resumed after it, and not resumed (no `live`, a
    /// snapshot, or `live` without the update they missed).
    var counts: (inTime: Int, late: Int, notResumed: Int) {
        self.state.withLock { ($0.resumedInTime, $0.resumedLate, $0.notResumed) }
    }
}
