public import Foundation

/// A point in time with microsecond precision, as PostgreSQL keeps it; exact in hashes and round trips.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// Creates a timestamp from a date, truncated to the microsecond.
    public init(_ date: Date) {
        self.microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The current time from the system clock.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// The timestamp as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(self.microseconds) / 1_000_000) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// ISO-8601 with microseconds, UTC, e.g. `2026-03-01T00:03:50.133000Z`.
    public var description: String {
        let (seconds, micros) = floorDivide(self.microseconds, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3_600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(micros, 6))Z"
    }
}

private func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    var (q, r) = value.quotientAndRemainder(dividingBy: divisor)
    if r < 0 {
        q -= 1
        r += divisor
    }
    return (q, r)
}
