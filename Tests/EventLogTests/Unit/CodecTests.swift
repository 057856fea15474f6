import Foundation
import Testing

@testable import EventLog

@Suite("Body codec and LZ4")
struct CodecTests {
    private func sampleBodies(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var rng = SplitMix(seed: seed)
        let words = ["Hi", "is", "the", "pottery", "bowl", "still", "available", "🙂", "Größe", "shipping", "order", "#381028"]
        return (0..<count).map { _ in
            let text = (0..<Int(rng.next() % 20 + 1)).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            let event = EventData(
                type: "MessageSent", payload: Array(#"{"conversation":"c-0000042","text":"\#(text)"}"#.utf8),
                metadata: EventMetadata(actor: rng.next() % 2 == 0 ? "user:u-000011" : nil, correlationId: rng.next() % 3 == 0 ? "req-1" : nil),
                idempotencyKey: rng.next() % 2 == 0 ? "c-0000042-m\(rng.next() % 1000)" : nil)
            var body: [UInt8] = []
            EventBody.encode(event, into: &body)
            return body
        }
    }

    @Test("decode(encode(event)) gives back key, metadata and payload, for many random events")
    func bodyRoundTrip() throws {
        var rng = SplitMix(seed: 42)
        for _ in 0..<500 {
            func maybe(_ text: String) -> String? { rng.next() % 3 == 0 ? nil : text + String(rng.next() % 10_000) }
            let payload = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let event = EventData(
                type: "T", payload: payload,
                metadata: EventMetadata(actor: maybe("user:é-"), causationId: maybe("c"), correlationId: maybe("r")),
                idempotencyKey: maybe("k👍"))
            var body: [UInt8] = []
            EventBody.encode(event, into: &body)
            let parts = try #require(body.withUnsafeBytes { EventBody.decode($0) })
            #expect(parts.payload == event.payload)
            #expect(parts.metadata == event.metadata)
            #expect(parts.idempotencyKey == event.idempotencyKey)
        }
    }

    @Test("a malformed body is refused, not misread")
    func malformedBody() {
        for bytes: [UInt8] in [[], [2], [1, 0x80], [1, 50, 65]] {
            #expect(bytes.withUnsafeBytes { EventBody.decode($0) } == nil)
        }
    }

    @Test("bodies round-trip through LZ4 with no dictionary and with one, and a dictionary shrinks them")
    func lz4RoundTrip() throws {
        let training = self.sampleBodies(300, seed: 1)
        let dictionary = LZ4Dictionary(id: 1, bytes: Array(training.joined().suffix(65_536)))
        let bodies = self.sampleBodies(300, seed: 2)
        var plain = BodyCompressor(dictionary: nil)
        var withDictionary = BodyCompressor(dictionary: dictionary)
        let decoder = BodyDecoder(dictionaries: [1: dictionary.bytes])
        var plainBytes = 0
        var dictionaryBytes = 0
        for body in bodies {
            for stored in [plain.store(body), withDictionary.store(body)] {
                let raw = try stored.bytes.withUnsafeBytes { bytes in
                    try decoder.withRawBody(codec: stored.codec.rawValue, dictionaryID: stored.dictionaryID, stored: bytes, position: 1) { Array($0) }
                }
                #expect(raw == body)
            }
            plainBytes += plain.store(body).bytes.count
            dictionaryBytes += withDictionary.store(body).bytes.count
        }
        let rawBytes = bodies.reduce(0) { $0 + $1.count }
        #expect(dictionaryBytes * 3 < rawBytes * 2, "a dictionary must compress chat bodies by more than 1.5x")
        #expect(dictionaryBytes < plainBytes)
    }

    @Test("incompressible bodies are stored raw")
    func incompressible() {
        var rng = SplitMix(seed: 9)
        let noise = (0..<200).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var compressor = BodyCompressor(dictionary: nil)
        let stored = compressor.store(noise)
        #expect(stored.codec == .raw)
        #expect(stored.bytes == noise)
    }

    @Test("a damaged block, an unknown dictionary or an unknown codec is a corruptEvent error")
    func damaged() {
        var compressor = BodyCompressor(dictionary: LZ4Dictionary(id: 3, bytes: Array(repeating: 65, count: 1000)))
        let stored = compressor.store(Array(repeating: 65, count: 500))
        #expect(stored.codec == .lz4)
        var broken = stored.bytes
        broken[broken.count - 1] ^= 0xFF
        broken.removeLast(2)
        for (codec, dictionary, bytes, known) in [
            (Int16(1), Int16?(3), broken, [Int16(3): Array(repeating: UInt8(65), count: 1000)]),
            (1, 3, stored.bytes, [:]),
            (7, nil, stored.bytes, [:]),
        ] {
            let error = #expect(throws: EventLogError.self) {
                try bytes.withUnsafeBytes { raw in
                    try BodyDecoder(dictionaries: known).withRawBody(codec: codec, dictionaryID: dictionary, stored: raw, position: 5) { _ in () }
                }
            }
            #expect(error?.code == .corruptEvent)
        }
    }

    @Test("LEB128 round-trips and refuses truncation")
    func leb128() {
        for value: UInt64 in [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 40, .max] {
            var bytes: [UInt8] = []
            LEB128.append(value, to: &bytes)
            var offset = 0
            #expect(bytes.withUnsafeBytes { LEB128.read($0, at: &offset) } == value)
            #expect(offset == bytes.count)
            if bytes.count > 1 {
                var cut = 0
                #expect(Array(bytes.dropLast()).withUnsafeBytes { LEB128.read($0, at: &cut) } == nil)
            }
        }
    }
}

/// A small deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
