import EventLog
import Moderation

/// Every user's moderation standing (see ``UserStandingRow``): attempts counted from
/// `MessageModerated` decisions that flagged, masked or bounced a message, standing from `StandingChanged` events. A change to good
/// standing (a restore) starts the attempts towards the next automatic step again.
public struct UserStanding: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace the user's row.
        case upsert(UserStandingRow)

        public var key: String {
            switch self {
            case .upsert(let row): row.userId
            }
        }
    }

    public static let name = "user_standing"

    private var users: [String: UserStandingRow] = [:]

    /// No user with a standing.
    public init() {}

    /// A projection that holds only `row`: to bring one stored row up to the log's head.
    public init(seed row: UserStandingRow) { self.users = [row.userId: row] }

    public init(restoring rows: [Change]) {
        for case .upsert(let row) in rows { self.users[row.userId] = row }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [String] {
        switch event.event {
        case .messageModerated(let decision) where decision.action >= .flag: [decision.senderId]
        case .standingChanged(let change): [change.userId]
        default: []
        }
    }

    /// The user's row, if moderation has seen them.
    public func row(_ user: String) -> UserStandingRow? { self.users[user] }

    public var snapshot: [Change] { self.users.values.map(Change.upsert) }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .messageModerated(let decision):
            // What policy let through (logistics once an order exists) is no attempt.
            guard decision.action >= .flag else { return }
            self.update(decision.senderId, at: decision.occurredAt, into: &changes) { row in
                row.attempts += 1
                row.attemptsTotal += 1
            }
        case .standingChanged(let change):
            self.update(change.userId, at: change.occurredAt, into: &changes) { row in
                row.standing = change.standing
                if change.standing == .good { row.attempts = 0 }
                row.changedBy = change.source
                row.changedByStaff = change.staffId
                row.statementOfReasons = change.statementOfReasons
            }
        default:
            return
        }
    }

    private mutating func update(_ user: String, at time: Timestamp, into changes: inout [Change], _ body: (inout UserStandingRow) -> Void) {
        var row = self.users[user] ?? UserStandingRow(userId: user, at: time)
        body(&row)
        row.updatedAt = max(row.updatedAt, time)
        self.users[user] = row
        changes.append(.upsert(row))
    }
}
