import Hummingbird

extension Request {
    /// The query parameter `name` as an integer in `range`, or `fallback` when absent.
    /// - Throws: ``APIError`` 400 when it is present but not an integer in range.
    func integer(_ name: String, default fallback: Int64, in range: ClosedRange<Int64>) throws(APIError) -> Int64 {
        guard let text = self.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int64(text), range.contains(value) else {
            throw .invalid("query parameter `\(name)` must be an integer from \(range.lowerBound) to \(range.upperBound); got \"\(text)\"")
        }
        return value
    }

    /// The query parameter `name` as one of `Value`'s cases, or nil when absent.
    /// - Throws: ``APIError`` 400 when it is present but names no case.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, as type: Value.Type) throws(APIError) -> Value?
    where Value.RawValue == String {
        guard let text = self.uri.queryParameters.get(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw .invalid("query parameter `\(name)` must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(text)\"")
        }
        return value
    }

    /// The query parameter `name` as a search text, or nil when absent or empty.
    /// - Throws: ``APIError`` 400 when it is over `maxCharacters` or holds U+0000 (the NUL
    ///   character, which PostgreSQL text cannot hold).
    func searchText(_ name: String, maxCharacters: Int) throws(APIError) -> String? {
        guard let text = self.uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard text.count <= maxCharacters else { throw .invalid("`\(name)` must be at most \(maxCharacters) characters") }
        guard !text.utf8.contains(0) else { throw .invalid("`\(name)` holds U+0000 (the NUL character)") }
        return text
    }

    /// A path parameter the route declares.
    func path(_ name: String, _ context: ParleyContext) throws(APIError) -> String {
        guard let value = context.parameters.get(name) else { throw .invalid("missing path parameter `\(name)`") }
        return value
    }
}

/// Where a write landed: what every write route answers (with the route's own fields added).
struct WriteResult: Encodable, Sendable {
    /// The event's global offset: pass it as `after` to a read that must see the write.
    var offset: Int64
    /// The event's version in its stream.
    var version: Int

    init(_ appended: Commands.Appended) {
        self.offset = appended.offset
        self.version = appended.version
    }
}
