import Logging

/// A row whose columns a ``ColumnWriter`` writes, in the table's column order: upserted in bulk
/// through `json_populate_recordset` (PostgresNIO binds no arrays with NULL elements, and absent
/// members become NULL), or bulk-loaded with `COPY` by a rebuild (``TableWriter``). Rows of one
/// shape may live in several tables (each projection that keeps threads keeps them in tables of
/// its own).
protocol TableRow {
    /// The primary-key columns.
    static var keyColumns: [String] { get }
    /// The other columns, replaced on conflict (none: a conflicting row is left as it is).
    static var valueColumns: [String] { get }
    /// Writes the row's columns: the key columns, then the value columns.
    func writeColumns(into writer: inout some ColumnWriter)
}

/// A projection row that maps onto one table of its own.
protocol StoredRow: TableRow {
    /// The live table.
    static var table: String { get }
}

/// A projection change that writes exactly one row of one table.
protocol RowChange {
    associatedtype Row: StoredRow
    /// The row the change writes.
    var row: Row { get }
}

extension RawRepresentable where RawValue == String {
    /// The value a stored text column holds, read back from `table`.
    /// - Throws: ``ProjectorError`` naming the table and the text when this build does not know the value.
    init(stored text: String, in table: String) throws {
        guard let value = Self(rawValue: text) else { throw ProjectorError("\(table) holds \(text), which this build does not know as a \(Self.self)") }
        self = value
    }
}
