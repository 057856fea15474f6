public import EventLog
public import Moderation

/// Where one user stands with moderation: their standing, the contact and payment attempts that
/// count towards the next automatic step, and the last change with its reasons.
public struct UserStandingRow: Hashable, Sendable, Codable {
    /// The user.
    public var userId: String
    /// The standing now.
    public var standing: Standing
    /// Contact or payment attempts (messages moderation found details in) since the user was last
    /// in good standing: what the escalation policy counts.
    public var attempts: Int
    /// Contact or payment attempts ever.
    public var attemptsTotal: Int
    /// Who made the last change (nil before the first).
    public var changedBy: StandingSource?
    /// The staff member who made it, for staff changes.
    public var changedByStaff: String?
    /// Its statement of reasons.
    public var statementOfReasons: String?
    /// When the standing last changed, or the first attempt was made.
    public var updatedAt: Timestamp

    /// The row of a user moderation has not seen.
    public init(userId: String, at time: Timestamp) {
        self.userId = userId
        self.standing = .good
        self.attempts = 0
        self.attemptsTotal = 0
        self.updatedAt = time
    }
}
