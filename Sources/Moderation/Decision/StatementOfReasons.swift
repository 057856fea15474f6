/// Writes the statement of reasons for a decision: what was found and how, the action, the
/// ground in the marketplace's terms, that the decision was automated, and how to seek review.
enum StatementOfReasons {
    static func write(
        action: ModerationAction, matches: [ModerationMatch], orderExists: Bool, policy: ModerationPolicy
    ) -> String {
        guard !matches.isEmpty else { return "No contact details or off-platform payment were found." }
        let found = matches.map { match in
            let how = match.obfuscations.map(\.description)
            return how.isEmpty ? match.contactClass.description
                : match.contactClass.description + " (" + how.joined(separator: ", ") + ")"
        }
        var unique: [String] = []
        for item in found where !unique.contains(item) { unique.append(item) }
        let what = "Your message appears to contain " + list(unique) + "."
        let stage = orderExists ? "An order exists in this conversation." : "No order exists in this conversation yet."
        let outcome: String
        switch action {
        case .allow, .allowAfterMatch:
            outcome = "It was delivered, because \(policy.marketplaceName) allows this once an order exists; the match was recorded."
        case .flag:
            outcome = "It was delivered and sent to \(policy.marketplaceName)'s staff for review."
        case .mask:
            outcome = "It was delivered with those details hidden."
        case .bounce:
            outcome = "It was not sent. You can edit it and send it again without those details."
        }
        let rules = Array(Set(matches.map(\.rule))).sorted().joined(separator: ", ")
        let confidence = Int((matches.map(\.confidence).max() ?? 0) * 100)
        let ground = "Ground: \(policy.termsReference), which keep deals, payment and buyer protection on \(policy.marketplaceName)."
        let automated = "This decision was taken by automated means (rules \(rules); confidence \(confidence)%)."
        let redress = "If you think it is wrong, you can ask for a review by a person."
        return [what, stage, outcome, ground, automated, redress].joined(separator: " ")
    }

    private static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}
