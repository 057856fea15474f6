public import Logging
public import PostgresNIO

extension UserStanding: ResumableProjection {
    public static let tables = [UserStandingRow.table]

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(rowsOf: changes)
    }
}

extension UserStanding.Change: RowChange {
    var row: UserStandingRow {
        switch self {
        case .upsert(let row): row
        }
    }
}

extension UserStandingRow: StoredRow {
    static let table = "parley_user_standing"
    static let keyColumns = ["user_id"]
    static let valueColumns = ["standing", "attempts", "attempts_total", "changed_by", "changed_by_staff", "statement_of_reasons", "updated_at"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("user_id", self.userId)
        writer.field("standing", self.standing)
        writer.field("attempts", self.attempts)
        writer.field("attempts_total", self.attemptsTotal)
        writer.field("changed_by", self.changedBy)
        writer.field("changed_by_staff", self.changedByStaff)
        writer.field("statement_of_reasons", self.statementOfReasons)
        writer.field("updated_at", self.updatedAt)
        writer.endObject()
    }
}
