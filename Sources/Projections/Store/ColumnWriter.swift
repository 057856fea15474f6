import EventLog

/// Where a ``TableRow`` writes its columns, one `field` per column in the table's column order:
/// a JSON object whose members are columns (``JSONWriter``, for upserts through
/// `json_populate_recordset`) or a line of `COPY … FROM STDIN` text (``CopyTextWriter``, for a
/// rebuild's bulk load).
protocol ColumnWriter {
    /// Starts a row.
    mutating func beginObject()
    /// Ends the row.
    mutating func endObject()
    /// Writes a column; nil is NULL.
    mutating func field<Value: ColumnValue>(_ name: String, _ value: Value?)
}

/// A value a stored column holds: written as JSON for upserts and as PostgreSQL's text input form
/// for COPY.
protocol ColumnValue: JSONField {
    /// Writes the value's PostgreSQL text input form (unescaped: the writer escapes it for COPY).
    func write(copy writer: inout CopyTextWriter)
}

extension JSONWriter: ColumnWriter {}

extension String: ColumnValue {
    func write(copy writer: inout CopyTextWriter) { writer.text(self) }
}

extension Bool: ColumnValue {
    func write(copy writer: inout CopyTextWriter) { writer.ascii(self ? "t" : "f") }
}

extension Int: ColumnValue {
    func write(copy writer: inout CopyTextWriter) { writer.integer(Int64(self)) }
}

extension Int64: ColumnValue {
    func write(copy writer: inout CopyTextWriter) { writer.integer(self) }
}

extension Double: ColumnValue {
    // As JSON writes it: the shortest text that reads back as the value; 0 for what is not finite.
    func write(copy writer: inout CopyTextWriter) { writer.ascii(self.isFinite ? "\(self)" : "0") }
}

extension Timestamp: ColumnValue {
    func write(copy writer: inout CopyTextWriter) { writer.ascii(self.description) }
}

extension Array: ColumnValue where Element: ColumnValue {
    /// A PostgreSQL array literal, each element quoted: `{"a","b"}`.
    func write(copy writer: inout CopyTextWriter) {
        writer.ascii("{")
        for (index, element) in self.enumerated() {
            if index > 0 { writer.ascii(",") }
            writer.beginQuotedElement()
            element.write(copy: &writer)
            writer.endQuotedElement()
        }
        writer.ascii("}")
    }
}

extension JSONStringEnum {
    func write(copy writer: inout CopyTextWriter) { writer.text(self.rawValue) }
}
