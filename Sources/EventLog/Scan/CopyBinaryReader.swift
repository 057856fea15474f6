/// Reads PostgreSQL's binary COPY format one row message at a time: the 19-byte header (plus
/// extension) before the first row, then per row an int16 field count and, per field, an int32
/// length (-1 for NULL) and the bytes; a field count of -1 is the trailer.
struct CopyBinaryReader {
    private var sawHeader = false

    /// A row's fields as byte ranges of the message (nil for NULL).
    typealias Fields = [Range<Int>?]

    /// Parses one message; returns nil for the trailer.
    mutating func fields(of message: UnsafeRawBufferPointer, into fields: inout Fields) throws(EventLogError) -> Bool {
        var offset = 0
        if !self.sawHeader {
            guard message.count >= 19, message.starts(with: Array("PGCOPY\n\u{FF}\r\n\0".utf8).prefix(7)) else {
                throw EventLogError(.database, "COPY output is not in binary format")
            }
            let extensionLength = Int(Self.int32(message, at: 15))
            offset = 19 + extensionLength
            self.sawHeader = true
        }
        guard offset + 2 <= message.count else { throw EventLogError(.database, "COPY row is truncated") }
        let count = Int(Int16(bitPattern: UInt16(message[offset]) << 8 | UInt16(message[offset + 1])))
        offset += 2
        if count == -1 { return false }
        fields.removeAll(keepingCapacity: true)
        for _ in 0..<count {
            guard offset + 4 <= message.count else { throw EventLogError(.database, "COPY row is truncated") }
            let length = Int(Self.int32(message, at: offset))
            offset += 4
            if length < 0 {
                fields.append(nil)
                continue
            }
            guard offset + length <= message.count else { throw EventLogError(.database, "COPY field is truncated") }
            fields.append(offset..<offset + length)
            offset += length
        }
        return true
    }

    static func int32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
        Int32(bitPattern: UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3]))
    }

    static func int64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        return Int64(bitPattern: value)
    }

    static func int16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int16 {
        Int16(bitPattern: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
    }
}
