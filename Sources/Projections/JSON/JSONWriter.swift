/// Writes compact JSON into a byte array; commas are placed by looking at the last byte written.
///
/// Public so the server writes its wire frames with the same writer the catalogue's events use.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        self.bytes.reserveCapacity(capacity)
    }

    /// Opens an object.
    public mutating func beginObject() {
        self.separate()
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// Closes the innermost object.
    public mutating func endObject() { self.bytes.append(UInt8(ascii: "}")) }

    /// Opens an array.
    public mutating func beginArray() {
        self.separate()
        self.bytes.append(UInt8(ascii: "["))
    }

    /// Closes the innermost array.
    public mutating func endArray() { self.bytes.append(UInt8(ascii: "]")) }

    /// Writes a member's key and `:`; its value follows.
    public mutating func key(_ name: String) {
        self.string(name)
        self.bytes.append(UInt8(ascii: ":"))
    }

    /// Writes a string, escaped.
    public mutating func string(_ value: String) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                self.bytes.append(UInt8(ascii: "\\"))
                self.bytes.append(byte)
            case 0x0A: self.escape(UInt8(ascii: "n"))
            case 0x0D: self.escape(UInt8(ascii: "r"))
            case 0x09: self.escape(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                self.bytes.append(hex[Int(byte >> 4)])
                self.bytes.append(hex[Int(byte & 0xF)])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Writes an integer.
    public mutating func int(_ value: Int64) {
        self.separate()
        self.bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        self.separate()
        self.bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes `null`.
    public mutating func null() {
        self.separate()
        self.bytes.append(contentsOf: "null".utf8)
    }

    /// Writes JSON that is already encoded (an event's payload) as one value.
    public mutating func raw(_ json: [UInt8]) {
        self.separate()
        self.bytes.append(contentsOf: json)
    }

    /// Writes a number: the shortest text that reads back as `value`; JSON has no infinities or
    /// NaN, so those are written as 0.
    public mutating func double(_ value: Double) {
        self.numberText(value.isFinite ? "\(value)" : "0")
    }

    /// Writes a number's text as it is (see ``JSONValue``).
    mutating func numberText(_ text: String) {
        self.separate()
        self.bytes.append(contentsOf: text.utf8)
    }

    /// Writes a comma unless this value opens a container's contents or follows a key.
    private mutating func separate() {
        guard let last = self.bytes.last else { return }
        if last != UInt8(ascii: "{") && last != UInt8(ascii: "[") && last != UInt8(ascii: ":") {
            self.bytes.append(UInt8(ascii: ","))
        }
    }

    private mutating func escape(_ letter: UInt8) {
        self.bytes.append(UInt8(ascii: "\\"))
        self.bytes.append(letter)
    }
}
