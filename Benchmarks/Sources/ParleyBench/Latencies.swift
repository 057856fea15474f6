import Histogram
import Synchronization

/// Durations recorded by concurrent tasks and callbacks into one HdrHistogram: microsecond
/// resolution, three significant digits, up to an hour.
final class Latencies: Sendable {
    /// The fewest samples a percentile above the median is reported from; with fewer, the figure
    /// is the maximum and is named so (`_max`, not `_p99`).
    static let minimumForPercentiles: UInt64 = 1_000

    private let histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three))

    /// Records a duration in seconds (negative ones, from clock jitter, as 0; over an hour as an hour).
    func record(seconds: Double) {
        let micros = UInt64(min(3_600_000_000, max(0, (seconds * 1_000_000).rounded())))
        self.histogram.withLock { _ = $0.record(micros) }
    }

    /// What has been recorded so far.
    var snapshot: Histogram<UInt64> { self.histogram.withLock { $0 } }
}

extension Histogram<UInt64> {
    /// The value at `percentile` (0–100) in milliseconds, NaN with no samples (recorded in microseconds).
    func milliseconds(at percentile: Double) -> Double {
        self.totalCount == 0 ? .nan : Double(self.valueAtPercentile(percentile)) / 1_000
    }

    /// The largest sample in milliseconds, NaN with none.
    var maxMilliseconds: Double { self.totalCount == 0 ? .nan : Double(self.maxRecorded) / 1_000 }
}
