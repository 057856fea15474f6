import Crypto

/// The hash chain. Each event's hash is
///
///     SHA-256(previous hash ‖ position ‖ stream version ‖ content digest)
///     content digest = SHA-256(stream name ‖ type ‖ schema version ‖ recorded-at ‖ raw body)
///
/// (integers big-endian int64; strings as a uint16 big-endian length and UTF-8 bytes; recorded-at
/// in microseconds; the raw body holds key, metadata and payload, before compression). Changing,
/// removing or reordering any stored event breaks every hash after it. The content digest is
/// computed before the writer takes its lock; only the short chain step runs under it.
enum EventHash {
    /// The hash before the first event: 32 zero bytes.
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// The digest of everything about an event but its place in the log.
    static func contentDigest(
        stream: String, type: String, schemaVersion: Int, recordedAt: Timestamp, rawBody: UnsafeRawBufferPointer
    ) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(28 + stream.utf8.count + type.utf8.count)
        appendBigEndian(UInt16(stream.utf8.count), to: &header)
        header.append(contentsOf: stream.utf8)
        appendBigEndian(UInt16(type.utf8.count), to: &header)
        header.append(contentsOf: type.utf8)
        appendBigEndian(Int64(schemaVersion), to: &header)
        appendBigEndian(recordedAt.microseconds, to: &header)
        var hasher = SHA256()
        hasher.update(data: header)
        hasher.update(bufferPointer: rawBody)
        return Array(hasher.finalize())
    }

    /// The event's hash: its place in the log chained to the previous hash.
    static func chain(previous: [UInt8], position: Int64, streamVersion: Int, content: [UInt8]) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(80)
        input.append(contentsOf: previous)
        appendBigEndian(position, to: &input)
        appendBigEndian(Int64(streamVersion), to: &input)
        input.append(contentsOf: content)
        return Array(SHA256.hash(data: input))
    }

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
