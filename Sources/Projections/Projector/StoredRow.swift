public import Logging
public import PostgresNIO

/// A row whose columns are the members of the JSON object it writes: rows are upserted in bulk
/// through `json_populate_recordset` (PostgresNIO binds no arrays with NULL elements, and absent
/// members become NULL). Rows of one shape may live in several tables (each projection that keeps
/// threads keeps them in tables of its own).
protocol TableRow {
    /// The primary-key columns.
    static var keyColumns: [String] { get }
    /// The other columns, replaced on conflict.
    static var valueColumns: [String] { get }
    /// Writes the row as a JSON object whose members are columns.
    func writeColumns(json writer: inout JSONWriter)
}

/// A projection row that maps onto one table of its own.
protocol StoredRow: TableRow {
    /// The live table.
    static var table: String { get }
}

extension StoredRow {
    /// Upserts `rows` into the table named with `suffix` appended.
    static func upsert(_ rows: [Self], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await Self.upsert(rows, into: Self.table + suffix, on: connection, logger: logger)
    }
}

extension TableRow {
    /// Upserts `rows` into `table`.
    static func upsert(_ rows: [Self], into table: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !rows.isEmpty else { return }
        var writer = JSONWriter(capacity: rows.count * 200)
        writer.beginArray()
        for row in rows { row.writeColumns(json: &writer) }
        writer.endArray()
        let json = String(decoding: writer.bytes, as: UTF8.self)
        let updates = Self.valueColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        try await connection.query(
            """
            INSERT INTO \(unescaped: table) SELECT * FROM json_populate_recordset(NULL::\(unescaped: table), \(json)::json)
            ON CONFLICT (\(unescaped: Self.keyColumns.joined(separator: ", "))) DO UPDATE SET \(unescaped: updates)
            """, logger: logger)
    }
}

/// A projection change that writes exactly one row of one table.
protocol RowChange {
    associatedtype Row: StoredRow
    /// The row the change writes.
    var row: Row { get }
}

extension StoredRow {
    /// Upserts the rows that `changes` write.
    static func upsert<Change: RowChange>(
        rowsOf changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger
    ) async throws where Change.Row == Self {
        try await Self.upsert(changes.map(\.row), suffix: suffix, on: connection, logger: logger)
    }
}

extension StoredRow {
    /// Upserts the rows of this table among those `changes` write: `row` picks them out.
    static func upsert<Change>(
        _ changes: [Change], picking row: (Change) -> Self?, suffix: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await Self.upsert(changes.compactMap(row), suffix: suffix, on: connection, logger: logger)
    }
}

extension RawRepresentable where RawValue == String {
    /// The value a stored text column holds, read back from `table`.
    /// - Throws: ``ProjectorError`` naming the table and the text when this build does not know the value.
    init(stored text: String, in table: String) throws {
        guard let value = Self(rawValue: text) else { throw ProjectorError("\(table) holds \(text), which this build does not know as a \(Self.self)") }
        self = value
    }
}
