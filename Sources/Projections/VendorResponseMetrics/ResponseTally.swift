import EventLog

/// The first responses counted for one vendor on one day: how many conversations, and the
/// response times of the answered ones, kept sorted for the median.
struct ResponseTally: Hashable, Sendable {
    private var conversations = 0
    /// Response times in microseconds, ascending.
    private var responses: [Int64] = []
    private var total: Int64 = 0

    mutating func add(_ response: FirstResponseTracker.FirstResponse) {
        self.conversations += 1
        guard let micros = Self.micros(response) else { return }
        self.responses.insert(micros, at: self.insertionIndex(micros))
        self.total += micros
    }

    mutating func remove(_ response: FirstResponseTracker.FirstResponse) {
        self.conversations -= 1
        guard let micros = Self.micros(response) else { return }
        self.responses.remove(at: self.insertionIndex(micros))
        self.total -= micros
    }

    func row(_ key: VendorDayMetricsRow.Key) -> VendorDayMetricsRow {
        let count = self.responses.count
        var median: Double?
        if count > 0 {
            let middle = count / 2
            median = count % 2 == 1 ? Double(self.responses[middle]) : (Double(self.responses[middle - 1]) + Double(self.responses[middle])) / 2
        }
        return VendorDayMetricsRow(
            vendorId: key.vendorId, day: key.day, conversations: self.conversations, answered: count,
            answeredWithin1h: self.insertionIndex(3_600_000_001), answeredWithin24h: self.insertionIndex(86_400_000_001),
            medianResponseSeconds: median.map { $0 / 1_000_000 },
            meanResponseSeconds: count == 0 ? nil : Double(self.total) / Double(count) / 1_000_000)
    }

    /// The index of the first response time not less than `micros`.
    private func insertionIndex(_ micros: Int64) -> Int {
        var low = 0
        var high = self.responses.count
        while low < high {
            let mid = (low + high) / 2
            if self.responses[mid] < micros { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func micros(_ response: FirstResponseTracker.FirstResponse) -> Int64? {
        response.answeredAt.map { $0.microseconds - response.askedAt.microseconds }
    }
}
