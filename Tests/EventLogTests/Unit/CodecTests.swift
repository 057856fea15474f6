import Foundation
import ParleyTestSupport
import Testing

@testable import EventLog

@Suite("Body codec and LZ4")
struct CodecTests {
    private func sampleBodies(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var rng = SeededRandom(seed: seed)
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
        var rng = SeededRandom(seed: 42)
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
        var decoder = BodyDecoder(dictionaries: [1: dictionary.bytes])
        var plainBytes = 0
        var dictionaryBytes = 0
        for body in bodies {
            let small = plain.store(body)
            let smaller = withDictionary.store(body)
            for stored in [small, smaller] {
                let raw = try stored.withUnsafeBytes { bytes in try decoder.withRawBody(bytes, position: 1) { Array($0) } }
                #expect(raw == body)
            }
            #expect(smaller.first == StoredBody.lz4WithDictionary)
            #expect(smaller.withUnsafeBytes { StoredBody.dictionaryID(of: $0) } == 1)
            plainBytes += small.count
            dictionaryBytes += smaller.count
        }
        let rawBytes = bodies.reduce(0) { $0 + $1.count }
        #expect(dictionaryBytes * 3 < rawBytes * 2, "a dictionary must compress chat bodies by more than 1.5x")
        #expect(dictionaryBytes < plainBytes)
    }

    @Test("incompressible bodies are stored raw")
    func incompressible() throws {
        var rng = SeededRandom(seed: 9)
        let noise = (0..<200).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var compressor = BodyCompressor(dictionary: nil)
        let stored = compressor.store(noise)
        #expect(stored == [StoredBody.raw] + noise)
        var decoder = BodyDecoder(dictionaries: [:])
        #expect(try stored.withUnsafeBytes { try decoder.withRawBody($0, position: 1) { Array($0) } } == noise)
    }

    @Test("a damaged block, an unknown dictionary, an unknown codec or an empty body is a corruptEvent error")
    func damaged() {
        let dictionaryBytes = Array(repeating: UInt8(65), count: 1000)
        var compressor = BodyCompressor(dictionary: LZ4Dictionary(id: 3, bytes: dictionaryBytes))
        let stored = compressor.store(Array(repeating: 65, count: 500))
        #expect(stored.first == StoredBody.lz4WithDictionary)
        var broken = stored
        broken.removeLast(2)
        for (bytes, known) in [
            (broken, [Int16(3): dictionaryBytes]),
            (stored, [:]),
            ([7] + stored.dropFirst(), [Int16(3): dictionaryBytes]),
            ([], [:]),
        ] {
            var decoder = BodyDecoder(dictionaries: known)
            let error = #expect(throws: EventLogError.self) {
                try bytes.withUnsafeBytes { raw in try decoder.withRawBody(raw, position: 5) { _ in () } }
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
