/// The stored body of an event before compression: its idempotency key, metadata and payload in
/// one small binary record, so that they compress together against the dictionary.
///
/// Layout: a format byte (1), then the key, actor, causation id and correlation id, each as a
/// LEB128 length plus one (0 for absent) followed by UTF-8 bytes, then the payload to the end.
enum EventBody {
    static let format: UInt8 = 1

    /// Encodes the parts of `event` that the body holds.
    static func encode(_ event: EventData, into bytes: inout [UInt8]) {
        bytes.append(Self.format)
        for field in [event.idempotencyKey, event.metadata.actor, event.metadata.causationId, event.metadata.correlationId] {
            guard let field else {
                bytes.append(0)
                continue
            }
            LEB128.append(UInt64(field.utf8.count) + 1, to: &bytes)
            bytes.append(contentsOf: field.utf8)
        }
        bytes.append(contentsOf: event.payload)
    }

    /// The decoded parts of a body.
    struct Parts {
        var idempotencyKey: String?
        var metadata: EventMetadata
        var payload: [UInt8]
    }

    /// Decodes a body, or returns nil when it is malformed.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Parts? {
        guard bytes.first == Self.format else { return nil }
        var offset = 1
        func field() -> String?? {
            guard let length = LEB128.read(bytes, at: &offset) else { return .none }
            if length == 0 { return .some(nil) }
            let count = Int(length - 1)
            guard count <= bytes.count - offset else { return .none }
            defer { offset += count }
            return .some(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self))
        }
        guard let key = field(), let actor = field(), let causation = field(), let correlation = field() else { return nil }
        return Parts(
            idempotencyKey: key,
            metadata: EventMetadata(actor: actor, causationId: causation, correlationId: correlation),
            payload: [UInt8](UnsafeRawBufferPointer(rebasing: bytes[offset...])))
    }
}

/// Unsigned LEB128 varints.
enum LEB128 {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
