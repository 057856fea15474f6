/// Who changed a user's standing.
public enum StandingSource: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    /// The escalation policy, after repeated contact or payment attempts.
    case automatic
    /// A staff member.
    case staff
}
