public import EventLog
public import Logging
import Moderation
public import PostgresNIO

/// The user standing table's read API: for the checks of a send and for staff.
extension UserStanding {
    /// A user's stored row (a new row in good standing when the table has none) and the log
    /// position it reflects, read in one statement so the caller adds exactly the log after it.
    public static func stored(_ user: String, client: PostgresClient, logger: Logger) async throws -> (row: UserStandingRow, checkpoint: Int64) {
        let rows = try await client.query(
            """
            SELECT c.position, s.standing, s.attempts, s.attempts_total, s.changed_by, s.changed_by_staff, s.statement_of_reasons,
                   (extract(epoch FROM s.updated_at) * 1000000)::int8
            FROM parley_projection_checkpoints c LEFT JOIN parley_user_standing s ON s.user_id = \(user)
            WHERE c.projection = \(Self.name)
            """, logger: logger)
        var row = UserStandingRow(userId: user, at: Timestamp(microseconds: 0))
        var checkpoint: Int64 = 0
        for try await c in rows.decode((Int64, String?, Int?, Int?, String?, String?, String?, Int64?).self) {
            checkpoint = c.0
            guard let standing = c.1.flatMap(Standing.init(rawValue:)) else { continue }
            row.standing = standing
            row.attempts = c.2 ?? 0
            row.attemptsTotal = c.3 ?? 0
            row.changedBy = c.4.flatMap(StandingSource.init(rawValue:))
            row.changedByStaff = c.5
            row.statementOfReasons = c.6
            row.updatedAt = Timestamp(microseconds: c.7 ?? 0)
        }
        return (row, checkpoint)
    }

    /// The types of the events that change a user's standing row.
    public static let eventTypes: Set<String> = [MessageModerated.eventType, StandingChanged.eventType]

    /// Applies to `row` (its user's) the events after its checkpoint that concern it: the stored
    /// row brought up to the log's head. Events of other users are skipped.
    public static func advance(_ row: inout UserStandingRow, with event: ProjectedEvent) {
        var projection = UserStanding(seed: row)
        _ = projection.apply(event)
        if let updated = projection.row(row.userId) { row = updated }
    }
}
