/// When the same or nearly the same text sent to many people counts as spam.
///
/// Defaults: 5 recipients (distinct people: two conversations with the same counterpart count
/// once) within 10 minutes, fingerprints at most 8 bits apart, messages of 6 words or more. The
/// message that reaches the fifth recipient is delivered and flagged for review; further ones
/// within the window are refused (the sender is throttled). A vendor's own saved reply templates
/// are exempt.
public struct SpamPolicy: Sendable, Codable, Hashable {
    /// Distinct recipients that make a near-duplicate text spam. Default 5.
    public var recipients: Int
    /// How far back sends count, in seconds. Default 600.
    public var windowSeconds: Int
    /// The largest fingerprint distance that counts as "nearly the same". Default 8 (of 64 bits):
    /// one or two words changed, or a phrase moved.
    public var maxDistance: Int
    /// Messages with fewer words are never counted. Default 6.
    public var minimumWords: Int

    /// Creates a policy; every parameter has the documented default.
    public init(recipients: Int = 5, windowSeconds: Int = 600, maxDistance: Int = 8, minimumWords: Int = 6) {
        self.recipients = recipients
        self.windowSeconds = windowSeconds
        self.maxDistance = maxDistance
        self.minimumWords = minimumWords
    }

    /// Whether two texts are the same or nearly the same under this policy.
    public func isNearDuplicate(_ fingerprint: Fingerprint, of other: Fingerprint) -> Bool {
        fingerprint.distance(to: other) <= self.maxDistance
    }

    /// What a send to `recipient` is, given the sender's recent sends within the window.
    ///
    /// - Parameters:
    ///   - fingerprint: The new message's fingerprint.
    ///   - recipient: Who the new message goes to.
    ///   - recent: The sender's fingerprinted messages of the window, each with the person it
    ///     went to (messages to `recipient` may be among them: they count once, with the new one).
    public func judge(_ fingerprint: Fingerprint, to recipient: String, recent: [(recipient: String, fingerprint: Fingerprint)]) -> SpamVerdict {
        var reached: Set<String> = [recipient]
        for sent in recent where self.isNearDuplicate(sent.fingerprint, of: fingerprint) { reached.insert(sent.recipient) }
        if reached.count > self.recipients { return .throttle(recipients: reached.count) }
        if reached.count == self.recipients { return .flag(recipients: reached.count) }
        return .clean
    }
}

/// What a send is under a ``SpamPolicy``.
public enum SpamVerdict: Sendable, Hashable {
    /// Not spam.
    case clean
    /// It reaches the policy's number of recipients: delivered and flagged for review.
    case flag(recipients: Int)
    /// It goes beyond: refused until the window has passed.
    case throttle(recipients: Int)
}
