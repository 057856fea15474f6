/// A member's key as it stands in the payload, matched against literal names (`case "text":`)
/// byte by byte, so reading an object makes no String per key.
///
/// It borrows the reader's bytes: use it before the next read.
struct JSONKey {
    /// The key's bytes when it holds no escapes.
    private let raw: UnsafeBufferPointer<UInt8>?
    /// The unescaped key when it holds escapes (rare: none of Parley's keys need any).
    private let unescaped: String?

    init(raw: UnsafeBufferPointer<UInt8>) {
        self.raw = raw
        self.unescaped = nil
    }

    init(unescaped: String) {
        self.raw = nil
        self.unescaped = unescaped
    }

    /// The key as a String.
    var string: String {
        if let raw = self.raw { return String(decoding: raw, as: UTF8.self) }
        return self.unescaped ?? ""
    }

    /// Whether the key is `name`.
    static func ~= (name: StaticString, key: JSONKey) -> Bool {
        guard let raw = key.raw else { return key.unescaped == name.description }
        guard raw.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for index in 0..<raw.count where raw[index] != expected[index] { return false }
        return true
    }
}
