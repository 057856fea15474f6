/// A `json` column's value, already written as JSON: nested as it is in an upsert's object, and
/// as text in a line of COPY.
struct RawJSONColumn: ColumnValue {
    /// The JSON.
    let bytes: [UInt8]

    /// The JSON `value` writes.
    init(_ value: some JSONField) {
        var writer = JSONWriter()
        value.write(json: &writer)
        self.bytes = writer.bytes
    }

    /// The JSON of `write` as one value.
    init(writing write: (inout JSONWriter) -> Void) {
        var writer = JSONWriter()
        write(&writer)
        self.bytes = writer.bytes
    }

    init(json reader: inout JSONReader) throws(JSONError) {
        var writer = JSONWriter()
        try JSONValue(reading: &reader).write(to: &writer)
        self.bytes = writer.bytes
    }

    func write(json writer: inout JSONWriter) { writer.raw(self.bytes) }

    func write(copy writer: inout CopyTextWriter) { writer.text(String(decoding: self.bytes, as: UTF8.self)) }
}
