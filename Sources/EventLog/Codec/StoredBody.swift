/// How an event's body is stored: raw, or LZ4 against no dictionary or a numbered one.
///
/// An LZ4-stored body is the LEB128 length of the raw body followed by one LZ4 block. Each event
/// records its codec and dictionary, so a newer dictionary never makes older events unreadable.
public enum BodyCodec: Int16, Sendable {
    /// The body is stored as it is (it did not compress).
    case raw = 0
    /// The body is one LZ4 block, compressed against the dictionary the event names (or none).
    case lz4 = 1
}

/// A body ready to store.
struct StoredBody {
    var codec: BodyCodec
    var dictionaryID: Int16?
    var bytes: [UInt8]
}

/// Compresses bodies for storage with the newest dictionary. Not thread-safe: one per writer.
struct BodyCompressor: ~Copyable {
    let dictionaryID: Int16?
    private var lz4: LZ4Compressor

    /// Creates a compressor for the dictionary with `id` and `bytes`, or for no dictionary.
    init(dictionary: LZ4Dictionary?) {
        self.dictionaryID = dictionary?.id
        self.lz4 = LZ4Compressor(dictionary: dictionary?.bytes ?? [])
    }

    /// Compresses `body`, or stores it raw when LZ4 does not make it smaller.
    mutating func store(_ body: [UInt8]) -> StoredBody {
        let block = body.withUnsafeBytes { self.lz4.compress($0) }
        guard let block else { return StoredBody(codec: .raw, dictionaryID: nil, bytes: body) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(block.count + 3)
        LEB128.append(UInt64(body.count), to: &bytes)
        bytes.append(contentsOf: block)
        return StoredBody(codec: .lz4, dictionaryID: self.dictionaryID, bytes: bytes)
    }
}

/// A compression dictionary as the log keeps it: a numbered, immutable row.
public struct LZ4Dictionary: Sendable, Hashable {
    /// The dictionary's number; events name it.
    public let id: Int16
    /// Its bytes (at most 64 KiB are used by LZ4).
    public let bytes: [UInt8]

    /// Creates a dictionary value.
    public init(id: Int16, bytes: [UInt8]) {
        self.id = id
        self.bytes = bytes
    }
}

/// Turns stored bodies back into raw ones, with every dictionary the log has.
struct BodyDecoder: Sendable {
    var dictionaries: [Int16: [UInt8]]

    /// Decodes a stored body, calling `body` with the raw bytes; throws `.corruptEvent` when it cannot.
    func withRawBody<R>(
        codec: Int16, dictionaryID: Int16?, stored: UnsafeRawBufferPointer, position: Int64,
        _ body: (UnsafeRawBufferPointer) throws(EventLogError) -> R
    ) throws(EventLogError) -> R {
        switch BodyCodec(rawValue: codec) {
        case .raw:
            return try body(stored)
        case .lz4:
            var offset = 0
            guard let length = LEB128.read(stored, at: &offset), length <= 16 * 1024 * 1024 else {
                throw EventLogError(.corruptEvent, "event \(position): its LZ4 body has no valid length")
            }
            let dictionary: [UInt8]?
            if let dictionaryID {
                guard let known = self.dictionaries[dictionaryID] else {
                    throw EventLogError(.corruptEvent, "event \(position) names dictionary \(dictionaryID), which the log does not hold")
                }
                dictionary = known
            } else {
                dictionary = nil
            }
            let block = UnsafeRawBufferPointer(rebasing: stored[offset...])
            var out = [UInt8](repeating: 0, count: Int(length))
            let ok = out.withUnsafeMutableBytes { out in
                if let dictionary {
                    dictionary.withUnsafeBytes { LZ4.decompress(block, originalSize: out.count, dictionary: $0, into: out) }
                } else {
                    LZ4.decompress(block, originalSize: out.count, dictionary: nil, into: out)
                }
            }
            guard ok else { throw EventLogError(.corruptEvent, "event \(position): its LZ4 block is damaged") }
            let result = out.withUnsafeBytes { raw in Result { () throws(EventLogError) -> R in try body(raw) } }
            return try result.get()
        case nil:
            throw EventLogError(.corruptEvent, "event \(position) has unknown codec \(codec)")
        }
    }
}
