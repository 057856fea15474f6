/// Examines messages before they are stored and decides what happens to them.
///
/// Pure and synchronous: no I/O, no clock, no randomness. Build one per marketplace policy and
/// share it; it is `Sendable` and holds only precomputed tables.
///
/// ```swift
/// let moderator = Moderator(policy: ModerationPolicy(allowedDomains: ["parley.market"]))
/// let decision = moderator.examine("call me on 07911 123456", window: .empty, orderExists: false)
/// // decision.action == .bounce, decision.classes == [.phoneNumber]
/// ```
public struct Moderator: Sendable {
    /// The policy decisions follow.
    public let policy: ModerationPolicy
    private let email: EmailDetector
    private let link: LinkDetector
    private let phone = PhoneDetector()
    private let handles = HandleDetector()
    private let payment = PaymentDetector()

    /// Creates a moderator for `policy`.
    public init(policy: ModerationPolicy = ModerationPolicy()) {
        self.policy = policy
        let allowList = DomainAllowList(policy.allowedDomains)
        self.email = EmailDetector(allowedDomains: allowList)
        self.link = LinkDetector(allowedDomains: allowList)
        // Build the folding table now (about 2 ms, once per process) rather than in the first message.
        _ = CharacterFolding.table.count
    }

    /// Examines `text`, the message about to be sent.
    ///
    /// - Parameters:
    ///   - text: The message as the sender wrote it.
    ///   - window: The sender's previous messages in this conversation, oldest first; the last
    ///     `policy.windowMessages` of them are read for contacts split across messages.
    ///   - orderExists: Whether an order links buyer and vendor in this conversation.
    /// - Returns: The decision; spans are UTF-16 offsets into `text`.
    public func examine(_ text: String, window: ConversationWindow = .empty, orderExists: Bool) -> ModerationDecision {
        var matches = detect(in: Scan(text))
        let recent = window.previousMessages.suffix(max(policy.windowMessages, 0))
        if !recent.isEmpty {
            matches = merge(matches, withSplit: splitMatches(text, previous: Array(recent)))
        }
        matches = matches.filter { $0.confidence >= policy.reportingThreshold }.sorted { $0.span < $1.span }
        let action = matches.map { policy.action(for: $0, orderExists: orderExists) }.max() ?? .allow
        let classes = ContactClass.allCases.filter { contactClass in matches.contains { $0.contactClass == contactClass } }
        return ModerationDecision(
            action: action,
            classes: classes,
            matches: matches,
            confidence: matches.map(\.confidence).max() ?? 0,
            maskedText: action == .mask
                ? Masker.mask(text, spans: matches.map(\.span), with: policy.maskReplacement) : nil,
            statementOfReasons: StatementOfReasons.write(
                action: action, matches: matches, orderExists: orderExists, policy: policy
            )
        )
    }

    /// The canonical text detectors read, for diagnostics and tests: folded, lower-case, number
    /// words as digits, spelled `@` and `.` as symbols.
    public func normalise(_ text: String) -> String {
        Scan(text).canonicalText
    }

    /// Runs every detector, most specific first; later ones skip what earlier ones claimed.
    func detect(in scan: Scan) -> [ModerationMatch] {
        var matches = email.detect(in: scan)
        matches += link.detect(in: scan, excluding: matches.map(\.span.range))
        matches += phone.detect(in: scan).filter { found in !matches.contains { $0.span.range.overlaps(found.span.range) } }
        matches += handles.detect(in: scan, excluding: matches.map(\.span.range))
        matches += payment.detect(in: scan, excluding: matches.filter { $0.contactClass != .messagingApp }.map(\.span.range))
        return matches
    }
}
