import Crypto

/// The hash chain: each event's SHA-256 covers its whole envelope, its raw body (key, metadata,
/// payload) and the previous event's hash, so changing, removing or reordering any stored event
/// breaks every hash after it.
///
/// Input, in order: previous hash (32 bytes); position (int64 BE); stream name length (uint16 BE)
/// and UTF-8 bytes; stream version (int64 BE); type length (uint16 BE) and bytes; schema version
/// (int64 BE); recorded-at microseconds (int64 BE); the raw body.
enum EventHash {
    /// The hash before the first event: 32 zero bytes.
    static let genesis = [UInt8](repeating: 0, count: 32)

    static func compute(
        previous: [UInt8], position: Int64, stream: String, streamVersion: Int, type: String,
        schemaVersion: Int, recordedAt: Timestamp, rawBody: UnsafeRawBufferPointer
    ) -> [UInt8] {
        var hasher = SHA256()
        var header: [UInt8] = []
        header.reserveCapacity(96 + stream.utf8.count + type.utf8.count)
        header.append(contentsOf: previous)
        appendBigEndian(position, to: &header)
        appendBigEndian(UInt16(stream.utf8.count), to: &header)
        header.append(contentsOf: stream.utf8)
        appendBigEndian(Int64(streamVersion), to: &header)
        appendBigEndian(UInt16(type.utf8.count), to: &header)
        header.append(contentsOf: type.utf8)
        appendBigEndian(Int64(schemaVersion), to: &header)
        appendBigEndian(recordedAt.microseconds, to: &header)
        hasher.update(data: header)
        hasher.update(bufferPointer: rawBody)
        return Array(hasher.finalize())
    }

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
