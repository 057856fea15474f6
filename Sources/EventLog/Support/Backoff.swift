/// Exponential backoff with a ceiling, for the parts that reconnect to PostgreSQL after a
/// failure (the append writer, tailers, listeners): the first wait is short, so a blip costs
/// little, and waits double up to `maximum`, so an outage is not hammered.
public struct Backoff: Sendable {
    /// The first wait.
    public let initial: Duration
    /// The longest wait.
    public let maximum: Duration
    private var current: Duration

    /// Backoff from `initial`, doubling to at most `maximum`.
    public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    /// The wait to use now; the next one is twice as long, up to ``maximum``.
    public mutating func next() -> Duration {
        defer { self.current = min(self.current * 2, self.maximum) }
        return self.current
    }

    /// Starts again from ``initial`` (after a success).
    public mutating func reset() {
        self.current = self.initial
    }

    /// Sleeps for ``next()``; returns early (without throwing) when the task is cancelled.
    public mutating func sleep() async {
        try? await Task.sleep(for: self.next())
    }
}
