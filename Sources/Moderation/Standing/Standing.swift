/// Where a user stands with moderation, from least to most severe.
///
/// Repeated attempts to take a deal off the platform move a sender up the steps automatically
/// (``EscalationPolicy``); staff can set any step, and restore a user to ``good``.
public enum Standing: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// No restriction.
    case good
    /// Warned: messages are delivered as before; the user was told why.
    case warned
    /// Every message is held for review before the recipient gets it; the user was told why.
    case held
    /// Shadow restriction: messages are stored and shown to the sender as sent, but recipients do
    /// not get them (no stream update, notification, unread count or response metric); staff see
    /// them. The sender is not told (the statement of reasons is recorded for staff).
    case restricted
    /// The user may not send messages or start conversations; they were told why.
    case suspended

    private var severity: Int {
        switch self {
        case .good: 0
        case .warned: 1
        case .held: 2
        case .restricted: 3
        case .suspended: 4
        }
    }

    public static func < (lhs: Standing, rhs: Standing) -> Bool { lhs.severity < rhs.severity }

    /// Whether the affected user is shown the change and its reasons: every step but shadow
    /// restriction, which works only while the sender does not know of it.
    public var isShownToUser: Bool { self != .restricted }
}
