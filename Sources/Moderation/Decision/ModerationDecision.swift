/// The outcome of examining one message: what was found, what to do, and why, in words the
/// sender can read (the statement of reasons the EU Digital Services Act, Article 17, asks for).
public struct ModerationDecision: Sendable, Codable, Hashable {
    /// What happens to the message.
    public var action: ModerationAction
    /// The classes found, in `ContactClass` order, without repeats.
    public var classes: [ContactClass]
    /// Every match, in text order.
    public var matches: [ModerationMatch]
    /// The highest match confidence, 0 when nothing matched.
    public var confidence: Double
    /// The message with matched spans replaced, when `action` is `.mask`.
    public var maskedText: String?
    /// Why, for the sender and for the log: what was found, the ground, what they can do.
    public var statementOfReasons: String

    /// Whether anything was found, whatever policy did about it.
    public var flagged: Bool { !matches.isEmpty }

    /// Creates a decision; `Moderator` builds these.
    public init(
        action: ModerationAction, classes: [ContactClass], matches: [ModerationMatch], confidence: Double,
        maskedText: String?, statementOfReasons: String
    ) {
        self.action = action
        self.classes = classes
        self.matches = matches
        self.confidence = confidence
        self.maskedText = maskedText
        self.statementOfReasons = statementOfReasons
    }
}
