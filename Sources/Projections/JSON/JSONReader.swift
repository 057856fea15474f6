/// A pull scanner over JSON bytes, for payloads of known shape: callers ask for the value they
/// expect next, so no intermediate tree is built and keys are compared as small strings.
///
/// The reader borrows the bytes; it must not outlive the `withUnsafeBufferPointer` call that made it.
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// True right after `{` or `[`, when the next member or element takes no comma.
    private var afterOpen = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads `{`; members follow through ``nextKey()``.
    mutating func beginObject() throws(JSONError) {
        try self.expect(UInt8(ascii: "{"), "expected an object")
        self.afterOpen = true
    }

    /// Reads the next member's key and its `:`, or the closing `}` and returns nil.
    mutating func nextKey() throws(JSONError) -> JSONKey? {
        guard try self.nextItem(closer: UInt8(ascii: "}")) else { return nil }
        var key = try self.readUnescapedString { JSONKey(raw: $0) }
        if key == nil { key = JSONKey(unescaped: try self.readString()) }
        try self.expect(UInt8(ascii: ":"), "expected ':' after a key")
        return key
    }

    /// Reads `[`; elements follow while ``nextElement()`` returns true.
    mutating func beginArray() throws(JSONError) {
        try self.expect(UInt8(ascii: "["), "expected an array")
        self.afterOpen = true
    }

    /// Returns true when another element follows (its comma read), false after reading `]`.
    mutating func nextElement() throws(JSONError) -> Bool {
        try self.nextItem(closer: UInt8(ascii: "]"))
    }

    /// Reads `null` if it comes next and returns true; otherwise reads nothing.
    mutating func readNull() throws(JSONError) -> Bool {
        self.skipWhitespace()
        guard self.peek == UInt8(ascii: "n") else { return false }
        try self.literal("null")
        return true
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(JSONError) -> Bool {
        self.skipWhitespace()
        switch self.peek {
        case UInt8(ascii: "t"):
            try self.literal("true")
            return true
        case UInt8(ascii: "f"):
            try self.literal("false")
            return false
        default: throw self.error("expected true or false")
        }
    }

    /// Reads an integer that fits in 64 bits; fractions and exponents are refused.
    mutating func readInt64() throws(JSONError) -> Int64 {
        self.skipWhitespace()
        let start = self.index
        let negative = self.peek == UInt8(ascii: "-")
        if negative { self.index += 1 }
        var value: Int64 = 0
        var digits = 0
        while self.index < self.bytes.count, case let digit = self.bytes[self.index] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(Int64(digit)) : times10.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { throw JSONError(message: "integer does not fit in 64 bits", offset: start) }
            value = next
            digits += 1
            self.index += 1
        }
        guard digits > 0 else { throw JSONError(message: "expected an integer", offset: start) }
        if let byte = self.peek, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw JSONError(message: "expected an integer, found a fraction or exponent", offset: start)
        }
        return value
    }

    /// Reads a string, unescaping it; bytes that are not UTF-8 are replaced.
    mutating func readString() throws(JSONError) -> String {
        self.skipWhitespace()
        try self.expect(UInt8(ascii: "\""), "expected a string")
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try self.readEscapedString(from: start) }
            guard byte >= 0x20 else { throw self.error("control character in a string") }
            self.index += 1
        }
        throw JSONError(message: "unterminated string", offset: start - 1)
    }

    /// Reads a string without escapes and hands its bytes to `parse`; returns nil, having read
    /// nothing, when the string holds escapes or `parse` returns nil (the caller then reads it as a
    /// ``readString()`` to report or handle it).
    mutating func readUnescapedString<T>(_ parse: (UnsafeBufferPointer<UInt8>) -> T?) throws(JSONError) -> T? {
        self.skipWhitespace()
        guard self.peek == UInt8(ascii: "\"") else { throw self.error("expected a string") }
        var end = self.index + 1
        while end < self.bytes.count, self.bytes[end] != UInt8(ascii: "\""), self.bytes[end] != UInt8(ascii: "\\") { end += 1 }
        guard end < self.bytes.count, self.bytes[end] == UInt8(ascii: "\""),
            let value = parse(UnsafeBufferPointer(rebasing: self.bytes[self.index + 1..<end]))
        else { return nil }
        self.index = end + 1
        return value
    }

    /// Reads a number as its text, for values kept as they are (see ``JSONValue``).
    mutating func readNumberText() throws(JSONError) -> String {
        self.skipWhitespace()
        let start = self.index
        while let byte = self.peek, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (byte &- UInt8(ascii: "0")) < 10
        {
            self.index += 1
        }
        guard self.index > start else { throw self.error("expected a value") }
        return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
    }

    /// What kind of value comes next, without reading it.
    mutating func peekKind() throws(JSONError) -> JSONValue.Kind {
        self.skipWhitespace()
        guard let byte = self.peek else { throw self.error("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw self.error("expected a value")
        }
    }

    /// Reads and discards one value of any kind: how unknown members are passed over.
    mutating func skipValue() throws(JSONError) {
        _ = try JSONValue(reading: &self)
    }

    /// Checks that only whitespace follows the value read.
    mutating func finish() throws(JSONError) {
        self.skipWhitespace()
        guard self.index == self.bytes.count else { throw self.error("unexpected bytes after the value") }
    }

    /// An error at the current offset.
    func error(_ message: String) -> JSONError {
        JSONError(message: message, offset: self.index)
    }

    private var peek: UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func nextItem(closer: UInt8) throws(JSONError) -> Bool {
        self.skipWhitespace()
        if self.peek == closer {
            self.index += 1
            self.afterOpen = false
            return false
        }
        if !self.afterOpen {
            guard self.peek == UInt8(ascii: ",") else { throw self.error("expected ',' or '\(Character(Unicode.Scalar(closer)))'") }
            self.index += 1
            self.skipWhitespace()
            guard self.peek != closer else { throw self.error("trailing comma before '\(Character(Unicode.Scalar(closer)))'") }
        }
        self.afterOpen = false
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek,
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
        {
            self.index += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ message: String) throws(JSONError) {
        self.skipWhitespace()
        guard self.peek == byte else { throw self.error(message) }
        self.index += 1
    }

    private mutating func literal(_ text: StaticString) throws(JSONError) {
        let bytes = self.bytes
        let start = self.index
        let matches = text.withUTF8Buffer { expected in
            start + expected.count <= bytes.count && expected.indices.allSatisfy { bytes[start + $0] == expected[$0] }
        }
        guard matches else { throw self.error("expected \(text)") }
        self.index += text.utf8CodeUnitCount
    }

    /// The slow path of ``readString()``: the string holds escapes.
    private mutating func readEscapedString(from start: Int) throws(JSONError) -> String {
        var utf8 = Array(UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]))
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = self.peek else { break }
                self.index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: String(try self.readUnicodeEscape()).utf8)
                default: throw JSONError(message: "invalid escape in a string", offset: self.index - 2)
                }
            case 0..<0x20:
                throw JSONError(message: "control character in a string", offset: self.index - 1)
            default:
                utf8.append(byte)
            }
        }
        throw JSONError(message: "unterminated string", offset: start - 1)
    }

    /// Reads the four hex digits after `\u` (and a low surrogate's escape when the first is a high one).
    private mutating func readUnicodeEscape() throws(JSONError) -> Unicode.Scalar {
        let high = try self.readHex4()
        guard (0xD800..<0xDC00).contains(high) else {
            // A lone low surrogate cannot be a scalar; it reads as U+FFFD like other bad UTF-16.
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        }
        guard self.index + 2 <= self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"),
            self.bytes[self.index + 1] == UInt8(ascii: "u")
        else { return "\u{FFFD}" }
        self.index += 2
        let low = try self.readHex4()
        guard (0xDC00..<0xE000).contains(low) else { return "\u{FFFD}" }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
    }

    private mutating func readHex4() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = self.peek, let digit = hexDigit(byte) else { throw self.error("expected four hex digits after \\u") }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }
}

private func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
