/// A value that reads itself from and writes itself to JSON through the fast scanner: the payload
/// codec of the event catalogue. Keys and shapes match the types' `Codable` conformance.
protocol JSONField {
    /// Reads the value that comes next.
    init(json reader: inout JSONReader) throws(JSONError)
    /// Writes the value.
    func write(json writer: inout JSONWriter)
}

extension JSONReader {
    /// Reads a value of the type the caller expects.
    mutating func read<Value: JSONField>() throws(JSONError) -> Value {
        try Value(json: &self)
    }

    /// Reads a value, or `null` as nil.
    mutating func readOptional<Value: JSONField>() throws(JSONError) -> Value? {
        try self.readNull() ? nil : Value(json: &self)
    }

    /// A member that must have been present, or an error naming it.
    func required<Value>(_ value: Value?, _ key: String) throws(JSONError) -> Value {
        guard let value else { throw self.error("the required member \"\(key)\" is missing") }
        return value
    }
}

extension JSONWriter {
    /// Writes a member.
    mutating func field(_ key: String, _ value: some JSONField) {
        self.key(key)
        value.write(json: &self)
    }

    /// Writes a member unless its value is nil, as synthesized `Codable` does.
    mutating func field(_ key: String, _ value: (some JSONField)?) {
        guard let value else { return }
        self.field(key, value)
    }
}

extension String: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) { self = try reader.readString() }
    func write(json writer: inout JSONWriter) { writer.string(self) }
}

extension Bool: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) { self = try reader.readBool() }
    func write(json writer: inout JSONWriter) { writer.bool(self) }
}

extension Int64: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) { self = try reader.readInt64() }
    func write(json writer: inout JSONWriter) { writer.int(self) }
}

extension Int: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) { self = Int(try reader.readInt64()) }
    func write(json writer: inout JSONWriter) { writer.int(Int64(self)) }
}

extension Double: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        let text = try reader.readNumberText()
        guard let value = Double(text), value.isFinite else { throw reader.error("\"\(text)\" is not a number") }
        self = value
    }

    func write(json writer: inout JSONWriter) { writer.double(self) }
}

extension Array: JSONField where Element: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        self = []
        try reader.beginArray()
        while try reader.nextElement() { self.append(try Element(json: &reader)) }
    }

    func write(json writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.write(json: &writer) }
        writer.endArray()
    }
}

/// A closed set of names written as JSON strings (`"in_progress"`); an unknown name is an error.
/// Stored in a text column by its name, too (``ColumnValue``).
protocol JSONStringEnum: ColumnValue, RawRepresentable, CaseIterable where RawValue == String {}

extension JSONStringEnum {
    init(json reader: inout JSONReader) throws(JSONError) {
        let name = try reader.readString()
        guard let value = Self(rawValue: name) else {
            let known = Self.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw reader.error("\"\(name)\" is not one of \(known)")
        }
        self = value
    }

    func write(json writer: inout JSONWriter) { writer.string(self.rawValue) }
}

extension JSONField {
    /// Reads a value that is the whole of `bytes` (a stored JSON column, say).
    init(jsonBytes bytes: [UInt8]) throws(JSONError) {
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) -> Self in
            var reader = JSONReader(buffer)
            let value = try Self(json: &reader)
            try reader.finish()
            return value
        }
    }
}
