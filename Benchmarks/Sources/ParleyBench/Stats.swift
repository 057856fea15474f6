import Foundation
import CoreFoundation
import Histogram
import Synchronization

/// A clock reading in seconds, monotonic.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Wall-clock microseconds since the Unix epoch (comparable with `recordedAt`).
func wallMicros() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000
}

/// The figures of a run: printed as a table, or as one JSON object.
struct Report {
    private var rows: [(key: String, value: Double, unit: String, note: String)] = []

    mutating func add(_ key: String, _ value: Double, _ unit: String, _ note: String = "") {
        self.rows.append((key, value, unit, note))
    }

    /// Adds `<name>_p50_ms`, `<name>_p99_ms` and `<name>_samples` from `latencies`; with fewer than
    /// ``Latencies/minimumForPercentiles`` samples the tail figure is `<name>_max_ms` instead of a p99.
    mutating func add(latency name: String, _ latencies: Histogram<UInt64>, _ note: String = "") {
        let samples = latencies.totalCount
        self.add("\(name)_p50_ms", latencies.milliseconds(at: 50), "ms")
        if samples >= Latencies.minimumForPercentiles {
            self.add("\(name)_p99_ms", latencies.milliseconds(at: 99), "ms", note)
        } else {
            self.add("\(name)_max_ms", latencies.maxMilliseconds, "ms", "fewer than \(Latencies.minimumForPercentiles) samples: the maximum, not a p99" + (note.isEmpty ? "" : "; " + note))
        }
        self.add("\(name)_samples", Double(samples), "samples")
    }

    func table(title: String) -> String {
        var lines = [title]
        let width = self.rows.map(\.key.count).max() ?? 0
        for row in self.rows {
            let value = row.value >= 100 ? String(format: "%.0f", row.value) : String(format: "%.3f", row.value)
            lines.append(row.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + " " + row.unit
                + (row.note.isEmpty ? "" : "   (" + row.note + ")"))
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        var object: [String: Double] = [:]
        for row in self.rows { object[row.key] = row.value.isFinite ? row.value : -1 }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A counter shared by concurrent tasks.
final class Counter: Sendable {
    private let value: Atomic<Int>
    init(_ start: Int) { self.value = Atomic(start) }
    /// Returns the current value and adds one.
    func next() -> Int { self.value.add(1, ordering: .relaxed).oldValue }
}

/// State shared by concurrent tasks and callbacks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { self.mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { self.mutex.withLock { body(&$0) } }
}
