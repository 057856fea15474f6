public import EventLog

/// A calendar day in UTC, the unit of the daily metrics.
public struct UTCDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let daysSince1970: Int64

    /// The day a timestamp falls on, in UTC.
    public init(_ timestamp: Timestamp) {
        let (days, remainder) = timestamp.microseconds.quotientAndRemainder(dividingBy: Self.microsecondsPerDay)
        self.daysSince1970 = remainder < 0 ? days - 1 : days
    }

    /// The day `daysSince1970` days after 1970-01-01.
    init(daysSince1970: Int64) { self.daysSince1970 = daysSince1970 }

    /// `YYYY-MM-DD`.
    public var description: String {
        String(Timestamp(microseconds: self.daysSince1970 * Self.microsecondsPerDay).description.prefix(10))
    }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSince1970 < rhs.daysSince1970 }

    private static let microsecondsPerDay: Int64 = 86_400_000_000
}
