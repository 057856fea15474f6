import Synchronization

/// What the send → deliver phase counts: for each scheduled message, whether its ack (to the
/// sender) and its update (to the recipient) arrived, each counted once, with latencies from the
/// message's scheduled send time. Late arrivals are latencies; only what never arrives is lost.
final class DeliveryTally: Sendable {
    let schedule: OpenLoopSchedule
    let total: Int
    /// Scheduled send → the recipient's `message.added` update.
    let deliver = Latencies()
    /// Scheduled send → the sender's `ack` (the append is durable).
    let append = Latencies()
    private let state: Mutex<State>

    private struct State {
        var delivered: [Bool]
        var acked: [Bool]
        var deliveredCount = 0
        var ackedCount = 0
        var errors: [String: Int] = [:]
    }

    init(schedule: OpenLoopSchedule, total: Int) {
        self.schedule = schedule
        self.total = total
        self.state = Mutex(State(delivered: Array(repeating: false, count: total), acked: Array(repeating: false, count: total)))
    }

    /// Message `index` reached its recipient at `time`.
    func delivered(_ index: Int, at time: Double) {
        guard index >= 0 && index < self.total else { return }
        let first = self.state.withLock { state in
            guard !state.delivered[index] else { return false }
            state.delivered[index] = true
            state.deliveredCount += 1
            return true
        }
        if first { self.deliver.record(seconds: time - self.schedule.due(index)) }
    }

    /// Message `index` was acknowledged to its sender at `time`.
    func acked(_ index: Int, at time: Double) {
        guard index >= 0 && index < self.total else { return }
        let first = self.state.withLock { state in
            guard !state.acked[index] else { return false }
            state.acked[index] = true
            state.ackedCount += 1
            return true
        }
        if first { self.append.record(seconds: time - self.schedule.due(index)) }
    }

    /// A send was answered with an error frame with `code`.
    func rejected(code: String) { self.state.withLock { $0.errors[code, default: 0] += 1 } }

    /// Messages delivered, acknowledged, and answered with an error so far.
    var counts: (delivered: Int, acked: Int, errors: Int) {
        self.state.withLock { ($0.deliveredCount, $0.ackedCount, $0.errors.values.reduce(0, +)) }
    }

    /// The error frames' codes, with how many of each, most first.
    var errorCodes: String {
        self.state.withLock { state in
            state.errors.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
    }
}
