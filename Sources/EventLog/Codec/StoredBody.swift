/// How an event's body is stored. The first byte says how, so every event records the codec and
/// dictionary it was written with and a newer dictionary never makes older events unreadable:
///
/// - `0`, then the raw body (it did not compress);
/// - `1`, then the LEB128 length of the raw body and one LZ4 block compressed with no dictionary;
/// - `2`, then the LEB128 dictionary id, the LEB128 raw length and one LZ4 block compressed
///   against that dictionary.
enum StoredBody {
    static let raw: UInt8 = 0
    static let lz4: UInt8 = 1
    static let lz4WithDictionary: UInt8 = 2

    /// The dictionary a stored body names, if any (nil also for a malformed body).
    static func dictionaryID(of stored: UnsafeRawBufferPointer) -> Int16? {
        guard stored.first == Self.lz4WithDictionary else { return nil }
        var offset = 1
        return LEB128.read(stored, at: &offset).flatMap { Int16(exactly: $0) }
    }
}

/// Compresses bodies for storage with one dictionary (or none). Not thread-safe: one per writer.
struct BodyCompressor: ~Copyable {
    let dictionaryID: Int16?
    private var lz4: LZ4Compressor

    /// Creates a compressor for `dictionary`, or for no dictionary.
    init(dictionary: LZ4Dictionary?) {
        self.dictionaryID = dictionary?.id
        self.lz4 = LZ4Compressor(dictionary: dictionary?.bytes ?? [])
    }

    /// The stored form of `body`: LZ4 when that is smaller, raw otherwise.
    mutating func store(_ body: [UInt8]) -> [UInt8] {
        var stored: [UInt8] = []
        stored.reserveCapacity(body.count + 4)
        let compressed: Bool = body.withUnsafeBytes { raw in
            guard let block = self.lz4.compress(raw), block.count + 4 < body.count else { return false }
            if let dictionaryID = self.dictionaryID {
                stored.append(StoredBody.lz4WithDictionary)
                LEB128.append(UInt64(dictionaryID), to: &stored)
            } else {
                stored.append(StoredBody.lz4)
            }
            LEB128.append(UInt64(body.count), to: &stored)
            stored.append(contentsOf: block)
            return true
        }
        if !compressed {
            stored.removeAll(keepingCapacity: true)
            stored.append(StoredBody.raw)
            stored.append(contentsOf: body)
        }
        return stored
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

/// Turns stored bodies back into raw ones, with every dictionary the log has. Keeps a scratch
/// buffer, so one decoder serves one thread at a time.
struct BodyDecoder: ~Copyable {
    let dictionaries: [Int16: [UInt8]]
    private var scratch: [UInt8] = []

    init(dictionaries: [Int16: [UInt8]]) { self.dictionaries = dictionaries }

    /// Decodes a stored body, calling `body` with the raw bytes; throws `.corruptEvent` when it cannot.
    mutating func withRawBody<R>(
        _ stored: UnsafeRawBufferPointer, position: Int64, _ body: (UnsafeRawBufferPointer) throws(EventLogError) -> R
    ) throws(EventLogError) -> R {
        guard let tag = stored.first else { throw EventLogError(.corruptEvent, "event \(position) has an empty body") }
        var offset = 1
        var dictionary: [UInt8]?
        switch tag {
        case StoredBody.raw:
            return try body(UnsafeRawBufferPointer(rebasing: stored[1...]))
        case StoredBody.lz4:
            break
        case StoredBody.lz4WithDictionary:
            guard let id = LEB128.read(stored, at: &offset).flatMap({ Int16(exactly: $0) }) else {
                throw EventLogError(.corruptEvent, "event \(position): its body names no valid dictionary")
            }
            guard let known = self.dictionaries[id] else {
                throw EventLogError(.corruptEvent, "event \(position) names dictionary \(id), which the log does not hold")
            }
            dictionary = known
        default:
            throw EventLogError(.corruptEvent, "event \(position) has unknown codec \(tag)")
        }
        guard let length = LEB128.read(stored, at: &offset), length <= 16 * 1024 * 1024 else {
            throw EventLogError(.corruptEvent, "event \(position): its LZ4 body has no valid length")
        }
        let block = UnsafeRawBufferPointer(rebasing: stored[offset...])
        let size = Int(length)
        if self.scratch.count < size { self.scratch = [UInt8](repeating: 0, count: max(size, 4_096)) }
        let ok = self.scratch.withUnsafeMutableBytes { out in
            if let dictionary {
                dictionary.withUnsafeBytes { LZ4.decompress(block, originalSize: size, dictionary: $0, into: out) }
            } else {
                LZ4.decompress(block, originalSize: size, dictionary: nil, into: out)
            }
        }
        guard ok else { throw EventLogError(.corruptEvent, "event \(position): its LZ4 block is damaged") }
        let result = self.scratch.withUnsafeBytes { raw in
            Result { () throws(EventLogError) -> R in try body(UnsafeRawBufferPointer(rebasing: raw[0..<size])) }
        }
        return try result.get()
    }
}
