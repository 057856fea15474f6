/// When the same or nearly the same text sent to many people counts as spam.
///
/// Defaults: 5 recipients (conversations) within 10 minutes, fingerprints at most 8 bits apart,
/// messages of 6 words or more. The message that reaches the fifth recipient is delivered and
/// flagged for review; further ones within the window are refused (the sender is throttled).
/// A vendor's own saved reply templates are exempt.
public struct SpamPolicy: Sendable, Codable, Hashable {
    /// Distinct conversations that make a near-duplicate text spam. Default 5.
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

    /// What a send is, given the sender's recent sends in other conversations within the window.
    ///
    /// - Parameters:
    ///   - fingerprint: The new message's fingerprint.
    ///   - recent: The sender's fingerprinted messages of the window, by conversation, excluding
    ///     the conversation the new message goes to.
    public func judge(_ fingerprint: Fingerprint, recent: [(conversationId: String, fingerprint: Fingerprint)]) -> SpamVerdict {
        var conversations = Set<String>()
        for sent in recent where sent.fingerprint.distance(to: fingerprint) <= self.maxDistance {
            conversations.insert(sent.conversationId)
        }
        let recipients = conversations.count + 1
        if recipients > self.recipients { return .throttle(recipients: recipients) }
        if recipients == self.recipients { return .flag(recipients: recipients) }
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
