public import Logging
public import PostgresNIO

/// Writes a stored projection's rows into its tables (named with ``suffix`` appended) on one
/// connection: upserted by key (a projector's page, a rebuild's catch-up), or, into a rebuild's
/// empty shadow tables, bulk-loaded with `COPY … FROM STDIN` in batches of about
/// ``copyBatchBytes`` (PostgresNIO's COPY-in).
public struct TableWriter: Sendable {
    /// How rows reach a table.
    enum Method: Sendable {
        /// `INSERT … ON CONFLICT DO UPDATE` of the value columns.
        case upsert
        /// `COPY`, into tables that hold none of the rows' keys yet.
        case copy
    }

    /// What each table name is suffixed with (`""` for the live tables, `"_shadow"` while a rebuild fills new ones).
    public let suffix: String
    let method: Method
    let connection: PostgresConnection
    let logger: Logger

    /// The bytes of COPY text sent in one write.
    static let copyBatchBytes = 1 << 20

    /// A writer that upserts into the tables named with `suffix` on `connection`.
    public init(upsertingWith suffix: String, on connection: PostgresConnection, logger: Logger) {
        self.init(suffix: suffix, method: .upsert, connection: connection, logger: logger)
    }

    init(suffix: String, method: Method, connection: PostgresConnection, logger: Logger) {
        self.suffix = suffix
        self.method = method
        self.connection = connection
        self.logger = logger
    }

    /// Writes `rows` into `table` (its live name).
    func write<Row: TableRow>(_ rows: [Row], into table: String) async throws {
        guard !rows.isEmpty else { return }
        switch self.method {
        case .upsert: try await self.upsert(rows, into: table + self.suffix)
        case .copy: try await self.copy(rows, into: table + self.suffix)
        }
    }

    /// Writes the rows of `Row`'s table.
    func write<Row: StoredRow>(_ rows: [Row]) async throws {
        try await self.write(rows, into: Row.table)
    }

    /// Writes the rows of this table among those `changes` write: `row` picks them out.
    func write<Change, Row: StoredRow>(_ changes: [Change], picking row: (Change) -> Row?) async throws {
        try await self.write(changes.compactMap(row))
    }

    /// Writes the rows that `changes` write.
    func write<Change: RowChange>(rowsOf changes: [Change]) async throws {
        try await self.write(changes.map(\.row))
    }

    private func upsert<Row: TableRow>(_ rows: [Row], into table: String) async throws {
        var writer = JSONWriter(capacity: rows.count * 200)
        writer.beginArray()
        for row in rows { row.writeColumns(into: &writer) }
        writer.endArray()
        let json = String(decoding: writer.bytes, as: UTF8.self)
        let conflict =
            Row.valueColumns.isEmpty
            ? "DO NOTHING" : "DO UPDATE SET " + Row.valueColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        try await self.connection.query(
            """
            INSERT INTO \(unescaped: table) SELECT * FROM json_populate_recordset(NULL::\(unescaped: table), \(json)::json)
            ON CONFLICT (\(unescaped: Row.keyColumns.joined(separator: ", "))) \(unescaped: conflict)
            """, logger: self.logger)
    }

    private func copy<Row: TableRow>(_ rows: [Row], into table: String) async throws {
        try await self.connection.copyFrom(table: table, columns: Row.keyColumns + Row.valueColumns, logger: self.logger) { copy in
            var writer = CopyTextWriter(capacity: Self.copyBatchBytes + 64 * 1024)
            for row in rows {
                row.writeColumns(into: &writer)
                if writer.bytes.count >= Self.copyBatchBytes {
                    try await copy.write(ByteBuffer(bytes: writer.bytes))
                    writer.clear()
                }
            }
            precondition(writer.columns == Row.keyColumns + Row.valueColumns, "\(Row.self) writes \(writer.columns), not its key and value columns")
            if !writer.bytes.isEmpty { try await copy.write(ByteBuffer(bytes: writer.bytes)) }
        }
    }
}
