/// An open-loop schedule: item `i` is due `i / rate` seconds after `start` (a ``now()`` reading),
/// whenever the task that sends it happens to run. Latency is counted from `due(i)`, so a sender
/// that falls behind adds its delay to the figures instead of hiding it (no coordinated omission).
struct OpenLoopSchedule: Sendable {
    let start: Double
    let rate: Double

    /// When item `index` is due.
    func due(_ index: Int) -> Double { self.start + Double(index) / self.rate }

    /// Sleeps until item `index` is due (at once if it is already late).
    func wait(for index: Int) async {
        let wait = self.due(index) - now()
        if wait > 0 { try? await Task.sleep(for: .microseconds(Int64(wait * 1_000_000))) }
    }
}
