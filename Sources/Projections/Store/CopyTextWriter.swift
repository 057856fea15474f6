/// Encodes rows in the text format of `COPY … FROM STDIN`: columns separated by tabs, one row a
/// line, NULL as `\N`, and backslash, tab, newline and carriage return escaped. The column names
/// are those the first row wrote, in order: the column list the `COPY` names.
struct CopyTextWriter: ColumnWriter {
    /// The encoded rows.
    private(set) var bytes: [UInt8] = []
    /// The columns, in the order each row writes them.
    private(set) var columns: [String] = []
    private var rows = 0
    private var column = 0
    /// Inside an array element, `"` and `\` are escaped for the array literal first.
    private var quoting = false

    /// An empty writer with room for `capacity` bytes.
    init(capacity: Int) { self.bytes.reserveCapacity(capacity) }

    /// Empties the buffer, keeping the column names and the buffer's capacity.
    mutating func clear() { self.bytes.removeAll(keepingCapacity: true) }

    mutating func beginObject() { self.column = 0 }

    mutating func endObject() {
        precondition(self.column == self.columns.count, "a row wrote \(self.column) columns, the first wrote \(self.columns.count)")
        self.bytes.append(0x0A)
        self.rows += 1
    }

    mutating func field<Value: ColumnValue>(_ name: String, _ value: Value?) {
        if self.rows == 0 { self.columns.append(name) }
        if self.column > 0 { self.bytes.append(0x09) }
        self.column += 1
        guard let value else {
            self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
            return
        }
        value.write(copy: &self)
    }

    /// Writes text, escaped.
    mutating func text(_ value: String) {
        for byte in value.utf8 { self.escaped(byte) }
    }

    /// Writes text that needs no escaping outside an array element (digits, `t`, a timestamp).
    mutating func ascii(_ value: String) {
        if self.quoting {
            self.text(value)
        } else {
            self.bytes.append(contentsOf: value.utf8)
        }
    }

    /// Writes an integer.
    mutating func integer(_ value: Int64) { self.ascii(String(value)) }

    /// Opens a quoted array element (`"`).
    mutating func beginQuotedElement() {
        self.bytes.append(UInt8(ascii: "\""))
        self.quoting = true
    }

    /// Closes a quoted array element.
    mutating func endQuotedElement() {
        self.quoting = false
        self.bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ byte: UInt8) {
        if self.quoting, byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            // The array literal's backslash, itself escaped for COPY.
            self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        }
        switch byte {
        case UInt8(ascii: "\\"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x09: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x0A: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        default: self.bytes.append(byte)
        }
    }
}
