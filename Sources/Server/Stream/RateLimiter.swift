import Synchronization

/// A token bucket: `burst` tokens, refilled at `perSecond`; each action takes one.
struct TokenBucket: Sendable, Equatable {
    let perSecond: Double
    let burst: Double
    private(set) var tokens: Double
    private var refilledAt: ContinuousClock.Instant

    init(perSecond: Double, burst: Double, now: ContinuousClock.Instant) {
        self.perSecond = perSecond
        self.burst = burst
        self.tokens = burst
        self.refilledAt = now
    }

    /// Takes a token if there is one at `now`; whether the action may go ahead.
    mutating func take(at now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - self.refilledAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        self.tokens = min(self.burst, self.tokens + seconds * self.perSecond)
        self.refilledAt = now
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }
}

/// Per-user rate limits of one kind of action (messages, typing notices), across the user's
/// connections to this instance.
final class RateLimiter: Sendable {
    private let perSecond: Double
    private let burst: Double
    private let buckets = Mutex<[String: TokenBucket]>([:])

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Whether `user` may act now.
    func allow(_ user: String) -> Bool {
        let now = ContinuousClock.now
        return self.buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets = buckets.filter { $0.value.tokens < $0.value.burst } }
            return buckets[user, default: TokenBucket(perSecond: self.perSecond, burst: self.burst, now: now)].take(at: now)
        }
    }
}
