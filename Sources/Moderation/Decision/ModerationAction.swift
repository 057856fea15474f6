/// What happens to a message, from least to most severe.
public enum ModerationAction: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// Nothing was found; the message is delivered.
    case allow
    /// Something was found but policy lets it through (logistics once an order exists); recorded.
    case allowAfterMatch = "allow_after_match"
    /// Delivered as written and put in the staff review queue.
    case flag
    /// Delivered with the matched spans replaced; the original is kept for review.
    case mask
    /// Not delivered; the sender sees the reasons and can edit the message.
    case bounce

    private var severity: Int {
        switch self {
        case .allow: 0
        case .allowAfterMatch: 1
        case .flag: 2
        case .mask: 3
        case .bounce: 4
        }
    }

    public static func < (lhs: ModerationAction, rhs: ModerationAction) -> Bool {
        lhs.severity < rhs.severity
    }
}
