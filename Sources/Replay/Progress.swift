import Foundation
import Synchronization

/// Progress of a long command: a bar with events/s and ETA on a terminal, a plain line every few
/// seconds otherwise (logs, CI).
final class Progress: Sendable {
    private struct State {
        var lastPrint = 0.0
        var done = 0
    }

    private let total: Int
    private let label: String
    private let started = Progress.now()
    private let interactive = isatty(STDERR_FILENO) == 1
    private let state = Mutex(State())

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    /// Records that `done` of the total are done, printing now and then.
    func update(_ done: Int) {
        let now = Self.now()
        let line: String? = self.state.withLock { state in
            state.done = done
            guard now - state.lastPrint >= (self.interactive ? 0.2 : 5) else { return nil }
            state.lastPrint = now
            return self.render(done, now: now)
        }
        if let line { Self.write(line) }
    }

    /// Prints the final state.
    func finish() {
        let done = self.state.withLock { $0.done }
        Self.write(self.render(done, now: Self.now()) + (self.interactive ? "\n" : ""))
    }

    private func render(_ done: Int, now: Double) -> String {
        let elapsed = max(now - self.started, 0.001)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Double(self.total - done) / rate : 0
        let share = self.total == 0 ? 1 : Double(done) / Double(self.total)
        let text = String(format: "%@ %d/%d events, %.0f events/s, ETA %.0f s", self.label, done, self.total, rate, remaining)
        guard self.interactive else { return text + "\n" }
        let width = 30
        let filled = Int(share * Double(width))
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] " + text
    }

    private static func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
