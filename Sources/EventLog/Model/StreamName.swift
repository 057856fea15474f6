/// The name of a stream: a category and an id, written `category-id` (e.g. `conversation-c-42`).
///
/// The category is everything before the first `-`: lowercase ASCII letters, digits and `_`,
/// starting with a letter, at most 64 bytes. The id is what follows: 1 to 200 bytes of printable
/// ASCII without spaces. Readers rely on the category to subscribe to a kind of stream.
public struct StreamName: Hashable, Sendable, CustomStringConvertible {
    /// The kind of stream, e.g. `conversation`.
    public let category: String
    /// The id of the stream within its category.
    public let id: String

    /// Creates a stream name from its parts.
    /// - Throws: ``EventLogError`` with code `.invalidStreamName` when either part is malformed.
    public init(category: String, id: String) throws(EventLogError) {
        if let problem = Self.problem(category: category, id: id) {
            throw EventLogError(.invalidStreamName, "stream name \"\(category)-\(id)\" is invalid: \(problem)")
        }
        self.category = category
        self.id = id
    }

    /// Parses `category-id`.
    /// - Throws: ``EventLogError`` with code `.invalidStreamName` when the text is not of that form.
    public init(_ name: String) throws(EventLogError) {
        guard let dash = name.firstIndex(of: "-") else {
            throw EventLogError(.invalidStreamName, "stream name \"\(name)\" is invalid: it needs the form category-id")
        }
        try self.init(category: String(name[..<dash]), id: String(name[name.index(after: dash)...]))
    }

    /// Creates a name already known to be valid (read back from the log).
    init(trusted name: String) {
        let dash = name.firstIndex(of: "-") ?? name.endIndex
        self.category = String(name[..<dash])
        self.id = dash == name.endIndex ? "" : String(name[name.index(after: dash)...])
    }

    /// `category-id`.
    public var description: String { "\(self.category)-\(self.id)" }

    private static func problem(category: String, id: String) -> String? {
        let c = Array(category.utf8)
        guard let first = c.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return "the category must start with a lowercase letter"
        }
        guard c.count <= 64 else { return "the category is \(c.count) bytes; the limit is 64" }
        for byte in c where !(isLowerAlnum(byte) || byte == UInt8(ascii: "_")) {
            return "the category may hold only a-z, 0-9 and _"
        }
        let i = Array(id.utf8)
        guard !i.isEmpty else { return "the id is empty" }
        guard i.count <= 200 else { return "the id is \(i.count) bytes; the limit is 200" }
        for byte in i where byte <= 0x20 || byte >= 0x7F {
            return "the id may hold only printable ASCII without spaces"
        }
        return nil
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
