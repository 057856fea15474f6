/// A JSON document as a tree, for the rare paths that must rewrite a payload (upcasters).
/// Numbers keep their text so nothing is lost between reading and writing; members keep their order.
enum JSONValue: Sendable {
    /// The kinds of JSON value.
    enum Kind: Hashable, Sendable { case null, bool, number, string, array, object }


    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// Parses a whole payload.
    init(parsing bytes: [UInt8]) throws(JSONError) {
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) -> JSONValue in
            var reader = JSONReader(buffer)
            let value = try JSONValue(reading: &reader)
            try reader.finish()
            return value
        }
    }

    /// Reads the next value of any kind.
    init(reading reader: inout JSONReader) throws(JSONError) {
        switch try reader.peekKind() {
        case .null:
            _ = try reader.readNull()
            self = .null
        case .bool: self = .bool(try reader.readBool())
        case .number: self = .number(try reader.readNumberText())
        case .string: self = .string(try reader.readString())
        case .array:
            try reader.beginArray()
            var elements: [JSONValue] = []
            while try reader.nextElement() { elements.append(try JSONValue(reading: &reader)) }
            self = .array(elements)
        case .object:
            try reader.beginObject()
            var members: [(key: String, value: JSONValue)] = []
            while let key = try reader.nextKey() { members.append((key.string, try JSONValue(reading: &reader))) }
            self = .object(members)
        }
    }

    /// The value as compact JSON bytes.
    var bytes: [UInt8] {
        var writer = JSONWriter()
        self.write(to: &writer)
        return writer.bytes
    }

    /// Sets an object's member, replacing it if present; does nothing to other kinds.
    mutating func set(_ key: String, _ value: JSONValue) {
        guard case .object(var members) = self else { return }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        self = .object(members)
    }

    /// An object's member, if this is an object that has it.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// Writes the value.
    func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let text): writer.numberText(text)
        case .string(let value): writer.string(value)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
