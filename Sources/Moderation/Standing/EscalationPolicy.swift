/// How repeated contact-detail and off-platform-payment attempts escalate a sender's standing:
/// the n-th attempt since the sender was last in good standing (restored, or never moved) warns,
/// holds or restricts once n reaches the step's threshold. Staff decisions are never lowered by
/// an automatic step. Defaults: warn at the 2nd attempt, hold at the 3rd, restrict at the 5th.
public struct EscalationPolicy: Sendable, Codable, Hashable {
    /// The attempt that warns the sender (0 turns the step off). Default 2.
    public var warnAt: Int
    /// The attempt from which the sender's messages are held for review (0: off). Default 3.
    public var holdAt: Int
    /// The attempt from which the sender is shadow-restricted (0: off). Default 5.
    public var restrictAt: Int

    /// Creates a policy; every parameter has the documented default.
    public init(warnAt: Int = 2, holdAt: Int = 3, restrictAt: Int = 5) {
        self.warnAt = warnAt
        self.holdAt = holdAt
        self.restrictAt = restrictAt
    }

    /// The standing a sender moves to with their `attempts`-th attempt (this one included), or
    /// nil when it stays `current`.
    public func escalate(attempts: Int, current: Standing) -> Standing? {
        let steps: [(threshold: Int, standing: Standing)] = [(self.restrictAt, .restricted), (self.holdAt, .held), (self.warnAt, .warned)]
        guard let step = steps.first(where: { $0.threshold > 0 && attempts >= $0.threshold }), step.standing > current else { return nil }
        return step.standing
    }

    /// The statement of reasons of an automatic step, in words the sender can read.
    public func statement(for standing: Standing, attempts: Int) -> String {
        let because = "\(attempts) of your messages tried to share contact details or arrange payment outside the marketplace"
        return switch standing {
        case .good: "your account is in good standing again"
        case .warned: "\(because): please keep conversations and payments on the platform, or your messages will be held for review"
        case .held: "\(because) after a warning: your messages are held for review by staff before they are delivered"
        case .restricted: "\(because) while held for review: the sender's messages are no longer delivered (shadow restriction)"
        case .suspended: "\(because): your account may no longer send messages"
        }
    }
}
