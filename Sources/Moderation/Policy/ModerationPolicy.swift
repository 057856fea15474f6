/// How one marketplace wants contact details and payment talk handled.
///
/// The defaults keep deals on the platform before an order exists (bounce), let delivery
/// arrangements through once it does, and always flag invitations to pay elsewhere.
public struct ModerationPolicy: Sendable, Codable, Hashable {
    /// Action for contact details (phone, e-mail, links, handles, apps) before an order exists.
    /// Default `.bounce`.
    public var contactBeforeOrder: ModerationAction
    /// Action for contact details once an order exists. Default `.allowAfterMatch`: buyer and
    /// vendor may need to arrange delivery.
    public var contactAfterOrder: ModerationAction
    /// Action for off-platform payment before an order exists. Default `.bounce`.
    public var paymentBeforeOrder: ModerationAction
    /// Action for off-platform payment once an order exists. Default `.flag`.
    public var paymentAfterOrder: ModerationAction
    /// Matches below this confidence are at most flagged, never masked or bounced. Default 0.7.
    public var enforcementThreshold: Double
    /// Matches below this confidence are ignored. Default 0.5.
    public var reportingThreshold: Double
    /// Domains allowed in messages: the marketplace's own and its partners'; subdomains are
    /// allowed too. Default empty.
    public var allowedDomains: [String]
    /// Replaces each masked span. Default "[hidden]".
    public var maskReplacement: String
    /// How many of the sender's previous messages in the conversation are read for split
    /// contacts. Default 3.
    public var windowMessages: Int
    /// The marketplace's name, used in statements of reasons. Default "this marketplace".
    public var marketplaceName: String
    /// The rule of the terms of service the decision rests on, quoted in statements of reasons.
    /// Default "the terms of service on off-platform contact and payment".
    public var termsReference: String

    /// Creates a policy; every parameter has the documented default.
    public init(
        contactBeforeOrder: ModerationAction = .bounce,
        contactAfterOrder: ModerationAction = .allowAfterMatch,
        paymentBeforeOrder: ModerationAction = .bounce,
        paymentAfterOrder: ModerationAction = .flag,
        enforcementThreshold: Double = 0.7,
        reportingThreshold: Double = 0.5,
        allowedDomains: [String] = [],
        maskReplacement: String = "[hidden]",
        windowMessages: Int = 3,
        marketplaceName: String = "this marketplace",
        termsReference: String = "the terms of service on off-platform contact and payment"
    ) {
        self.contactBeforeOrder = contactBeforeOrder
        self.contactAfterOrder = contactAfterOrder
        self.paymentBeforeOrder = paymentBeforeOrder
        self.paymentAfterOrder = paymentAfterOrder
        self.enforcementThreshold = enforcementThreshold
        self.reportingThreshold = reportingThreshold
        self.allowedDomains = allowedDomains
        self.maskReplacement = maskReplacement
        self.windowMessages = windowMessages
        self.marketplaceName = marketplaceName
        self.termsReference = termsReference
    }

    /// The action policy sets for one match.
    public func action(for match: ModerationMatch, orderExists: Bool) -> ModerationAction {
        let configured = switch (match.contactClass.isPayment, orderExists) {
        case (false, false): contactBeforeOrder
        case (false, true): contactAfterOrder
        case (true, false): paymentBeforeOrder
        case (true, true): paymentAfterOrder
        }
        return match.confidence < enforcementThreshold ? min(configured, .flag) : configured
    }
}
