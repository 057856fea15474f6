/// The JSON grammar of RFC 8259 and nothing more, checked before a request is decoded: Foundation's
/// decoder also takes trailing commas, a byte-order mark, duplicate keys (keeping one of them) and
/// numbers such as `01` or `1.`, and a request that two parsers read differently is refused rather
/// than guessed at. It also finds strings holding U+0000, valid JSON that no PostgreSQL `text`
/// can store: written to the log, one would stop every projection that stores text.
public enum StrictJSON {
    /// How deeply arrays and objects may nest; no request Parley takes needs more than a few levels.
    public static let maximumDepth = 32

    /// Checks that `bytes` are exactly one JSON value (whitespace around it allowed), with no
    /// duplicate key in any object and no nesting deeper than ``maximumDepth``.
    /// - Returns: the path (e.g. `attachment.name`, `[2]`) of the first string, key or value,
    ///   that holds U+0000; nil when none does.
    /// - Throws: ``JSONError`` naming the first problem and its byte offset.
    @discardableResult
    public static func validate(_ bytes: some Collection<UInt8>) throws(JSONError) -> String? {
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { (buffer) throws(JSONError) -> String? in
            var reader = JSONReader(buffer)
            var nul: [String]?
            try Self.value(&reader, depth: 0, path: [], nul: &nul)
            try reader.finish()
            return nul.map { $0.isEmpty ? "the body" : $0.joined(separator: ".") }
        }
    }

    private static func value(_ reader: inout JSONReader, depth: Int, path: [String], nul: inout [String]?) throws(JSONError) {
        switch try reader.peekKind() {
        case .null: _ = try reader.readNull()
        case .bool: _ = try reader.readBool()
        case .string:
            if try reader.readString().utf8.contains(0), nul == nil { nul = path }
        case .number:
            let text = try reader.readNumberText()
            guard Self.isNumber(text.utf8) else { throw reader.error("\"\(text)\" is not a JSON number") }
        case .array:
            guard depth < Self.maximumDepth else { throw reader.error("nested deeper than \(Self.maximumDepth) levels") }
            try reader.beginArray()
            var index = 0
            while try reader.nextElement() {
                try Self.value(&reader, depth: depth + 1, path: path + ["[\(index)]"], nul: &nul)
                index += 1
            }
        case .object:
            guard depth < Self.maximumDepth else { throw reader.error("nested deeper than \(Self.maximumDepth) levels") }
            try reader.beginObject()
            var keys = Set<String>()
            while let key = try reader.nextKey() {
                guard keys.insert(key.string).inserted else { throw reader.error("duplicate key \"\(key.string)\"") }
                if key.string.utf8.contains(0), nul == nil { nul = path + [key.string] }
                try Self.value(&reader, depth: depth + 1, path: path + [key.string], nul: &nul)
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    static func isNumber(_ text: String.UTF8View) -> Bool {
        var bytes = text.makeIterator()
        var byte = bytes.next()
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 &- UInt8(ascii: "0") < 10 } ?? false }
        func digits() -> Bool {
            guard isDigit(byte) else { return false }
            while isDigit(byte) { byte = bytes.next() }
            return true
        }
        if byte == UInt8(ascii: "-") { byte = bytes.next() }
        if byte == UInt8(ascii: "0") {
            byte = bytes.next()
        } else if !digits() {
            return false
        }
        if byte == UInt8(ascii: ".") {
            byte = bytes.next()
            guard digits() else { return false }
        }
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            byte = bytes.next()
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { byte = bytes.next() }
            guard digits() else { return false }
        }
        return byte == nil
    }
}
