public import EventLog

// Timestamps are written as RFC 3339 text in UTC with microseconds (`2026-03-01T00:03:22.862000Z`),
// the form `Timestamp.description` prints. Reading accepts 0 to 6 fraction digits.
// The `Codable` conformance lives here because only the catalogue needs it; it should move to
// EventLog if EventLog ever does.

extension Timestamp: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        // Parsed from the payload's bytes when unescaped: no String is made on the hot path.
        if let micros = try reader.readUnescapedString(parseRFC3339) {
            self.init(microseconds: micros)
            return
        }
        let text = try reader.readString()
        guard let timestamp = Timestamp(rfc3339: text) else {
            throw reader.error("\"\(text)\" is not a UTC time of the form 2026-03-01T00:03:22.862000Z")
        }
        self = timestamp
    }

    func write(json writer: inout JSONWriter) { writer.string(self.description) }
}

extension Timestamp: Codable {
    /// Decodes RFC 3339 UTC text, e.g. `2026-03-01T00:03:22.862000Z`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a UTC time of the form 2026-03-01T00:03:22.862000Z")
        }
        self = timestamp
    }

    /// Encodes RFC 3339 UTC text with microseconds.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

extension Timestamp {
    /// Parses RFC 3339 UTC text, `YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z` (the corpus's `at`, the payloads'
    /// `occurredAt`); nil for anything else, offsets other than `Z` included.
    public init?(rfc3339 text: String) {
        var text = text
        guard let micros = text.withUTF8({ parseRFC3339($0) }) else { return nil }
        self.init(microseconds: micros)
    }
}

/// Microseconds since 1970 of `YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z` in UTF-8; nil for anything else.
func parseRFC3339(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard s.count >= 20, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"), s[10] == UInt8(ascii: "T"),
        s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":"), s[s.count - 1] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ from: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for i in from..<from + count {
            let digit = s[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
        let minute = number(14, 2), let second = number(17, 2),
        (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
    else { return nil }
    var fraction: Int64 = 0
    let fractionDigits = s.count - 21
    if s.count > 20 {
        guard s[19] == UInt8(ascii: "."), (1...6).contains(fractionDigits), let digits = number(20, fractionDigits) else { return nil }
        fraction = digits
        for _ in fractionDigits..<6 { fraction *= 10 }
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    return ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + fraction
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
private func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
