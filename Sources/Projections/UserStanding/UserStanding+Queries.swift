public import EventLog
public import Logging
public import Moderation
public import PostgresNIO

/// The user standing table's read API: for the checks of a send and for staff.
extension UserStanding {
    /// A user's stored row (a new row in good standing when the table has none) and the log
    /// position it reflects, read in one statement so the caller adds exactly the log after it.
    public static func stored(_ user: String, client: PostgresClient, logger: Logger) async throws -> (row: UserStandingRow, checkpoint: Int64) {
        let rows = try await client.query(
            """
            SELECT c.position, \(unescaped: Self.columns)
            FROM parley_projection_checkpoints c LEFT JOIN parley_user_standing s ON s.user_id = \(user)
            WHERE c.projection = \(Self.name)
            """, logger: logger)
        var row = UserStandingRow(userId: user, at: Timestamp(microseconds: 0))
        var checkpoint: Int64 = 0
        for try await (position, user, standing, attempts, total, source, staff, reasons, updated) in rows.decode(
            (Int64, String?, String?, Int?, Int?, String?, String?, String?, Int64?).self)
        {
            checkpoint = position
            if let stored = Self.row(user, standing, attempts, total, source, staff, reasons, updated) { row = stored }
        }
        return (row, checkpoint)
    }

    public static func load(_ keys: [String], client: PostgresClient, logger: Logger) async throws -> [Change] {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM parley_user_standing s WHERE s.user_id = ANY(\(keys))", logger: logger)
        return try await Self.rows(rows).map(Change.upsert)
    }

    /// Where a page of ``page(_:after:limit:client:logger:)`` starts: after this row.
    public struct Position: Hashable, Sendable {
        /// The row's `updatedAt`, in microseconds since 1970.
        public var updatedAt: Int64
        /// The row's user.
        public var userId: String

        /// The position after `row`.
        public init(after row: UserStandingRow) {
            self.updatedAt = row.updatedAt.microseconds
            self.userId = row.userId
        }

        /// A position as a cursor gave it.
        public init(updatedAt: Int64, userId: String) {
            self.updatedAt = updatedAt
            self.userId = userId
        }
    }

    /// The users with `standing`, most recently changed first, `limit` at most, after `position`
    /// (keyset paging on the table's `(standing, updated_at, user_id)` index).
    public static func page(
        _ standing: Standing, after position: Position?, limit: Int, client: PostgresClient, logger: Logger
    ) async throws -> [UserStandingRow] {
        let after = position ?? Position(updatedAt: 0, userId: "")
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM parley_user_standing s
            WHERE s.standing = \(standing.rawValue)
              AND (\(position == nil) OR (s.updated_at, s.user_id)
                   < (TIMESTAMPTZ 'epoch' + \(after.updatedAt) * INTERVAL '1 microsecond', \(after.userId)))
            ORDER BY s.updated_at DESC, s.user_id DESC LIMIT \(Int64(limit))
            """, logger: logger)
        return try await Self.rows(rows)
    }

    /// The rows of a query of ``columns``.
    private static func rows(_ rows: PostgresRowSequence) async throws -> [UserStandingRow] {
        var decoded: [UserStandingRow] = []
        for try await (user, standing, attempts, total, source, staff, reasons, updated) in rows.decode(
            (String?, String?, Int?, Int?, String?, String?, String?, Int64?).self)
        {
            if let row = Self.row(user, standing, attempts, total, source, staff, reasons, updated) { decoded.append(row) }
        }
        return decoded
    }

    private static let columns = """
        s.user_id, s.standing, s.attempts, s.attempts_total, s.changed_by, s.changed_by_staff, s.statement_of_reasons,
        (extract(epoch FROM s.updated_at) * 1000000)::int8
        """

    /// The row of the table's columns, nil when there is none (or its standing is unknown to
    /// this version).
    private static func row(
        _ user: String?, _ standing: String?, _ attempts: Int?, _ total: Int?, _ source: String?, _ staff: String?, _ reasons: String?,
        _ updated: Int64?
    ) -> UserStandingRow? {
        guard let user, let standing = standing.flatMap(Standing.init(rawValue:)) else { return nil }
        var row = UserStandingRow(userId: user, at: Timestamp(microseconds: updated ?? 0))
        row.standing = standing
        row.attempts = attempts ?? 0
        row.attemptsTotal = total ?? 0
        row.changedBy = source.flatMap(StandingSource.init(rawValue:))
        row.changedByStaff = staff
        row.statementOfReasons = reasons
        return row
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
