import EventLog
import Foundation
import ParleyTestSupport
@testable import Projections
import Testing

@Suite("Event catalogue: encode and decode")
struct RoundTripTests {
    @Test("decode(encode(e)) == e for random events of every type", arguments: DomainEvent.types.map(\.name))
    func roundTrip(type: String) throws {
        var rng = SeededRandom(seed: UInt64(type.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        for optionals in [SampleEvents.Optionals.all, .none, .random, .random, .random] {
            for _ in 0..<40 {
                let event = SampleEvents.make(type, optionals, using: &rng)
                #expect(event.typeName == type)
                let decoded = try DomainEvent.decode(type: type, schemaVersion: event.schemaVersion, payload: event.encode())
                #expect(decoded == event)
            }
        }
    }

    @Test("the fast codec agrees with Foundation's JSONEncoder and JSONDecoder", arguments: DomainEvent.types.map(\.name))
    func agreesWithFoundation(type: String) throws {
        var rng = SeededRandom(seed: 99)
        for _ in 0..<30 {
            let event = SampleEvents.make(type, .random, using: &rng)
            #expect(try Self.foundationDecode(event.payload, from: event.encode()) == event)
            let foundationBytes = try Self.foundationEncode(event.payload)
            #expect(try DomainEvent.decode(type: type, schemaVersion: event.schemaVersion, payload: foundationBytes) == event)
        }
    }

    @Test("timestamps read with 0 to 6 fraction digits and refuse other forms")
    func timestamps() {
        #expect(Timestamp(rfc3339: "2026-03-01T00:03:22.862Z") == Timestamp(microseconds: 1_772_323_402_862_000))
        #expect(Timestamp(rfc3339: "2026-03-01T00:03:22Z") == Timestamp(microseconds: 1_772_323_402_000_000))
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999999Z") == Timestamp(microseconds: -1))
        #expect(Timestamp(rfc3339: "2026-03-01T00:03:22.1234567Z") == nil)
        #expect(Timestamp(rfc3339: "2026-03-01 00:03:22Z") == nil)
        #expect(Timestamp(rfc3339: "2026-13-01T00:03:22Z") == nil)
        #expect(Timestamp(rfc3339: "2026-03-01T00:03:22+01:00") == nil)
    }

    @Test("unknown members are skipped and whitespace is allowed")
    func lenientWhereSafe() throws {
        let payload = Array("""
             { "userId" : "u-1", "extra": {"nested": [1, 2.5e3, null, true, "x"]},
               "blockerId": "u-1", "blockedId": "u-2", "occurredAt": "2026-03-01T00:00:00Z" }
            """.utf8)
        let event = try DomainEvent.decode(type: "UserBlocked", schemaVersion: 1, payload: payload)
        #expect(event == .userBlocked(UserBlocked(blockerId: "u-1", blockedId: "u-2", occurredAt: Timestamp(microseconds: 1_772_323_200_000_000))))
    }

    @Test("escaped text, including surrogate pairs, decodes")
    func escapes() throws {
        let payload = Array(#"{"blockerId":"\u00e9\ud83d\ude42\n\"\/","blockedId":"b","occurredAt":"2026-03-01T00:00:00Z"}"#.utf8)
        guard case .userBlocked(let event) = try DomainEvent.decode(type: "UserBlocked", schemaVersion: 1, payload: payload) else {
            Issue.record("decoded another type")
            return
        }
        #expect(event.blockerId == "é🙂\n\"/")
    }

    @Test(
        "bad payloads are refused with a message naming the problem",
        arguments: [
            (#"{"blockerId":"a","occurredAt":"2026-03-01T00:00:00Z"}"#, #"required member "blockedId" is missing"#),
            (#"{"blockerId":"a","blockedId":7,"occurredAt":"2026-03-01T00:00:00Z"}"#, "expected a string"),
            (#"{"blockerId":"a","blockedId":"b","occurredAt":"yesterday"}"#, "is not a UTC time"),
            (#"{"blockerId":"a","blockedId":"b","occurredAt":"2026-03-01T00:00:00Z"} x"#, "unexpected bytes after the value"),
            (#"{"blockerId":"a" "blockedId":"b"}"#, "expected ',' or '}'"),
            (#"{"blockerId":"a","blockedId":"b",}"#, "trailing comma"),
            (#"{"blockerId":"a"#, "unterminated string"),
            ("", "expected an object"),
        ])
    func badPayloads(payload: String, problem: String) {
        let error = #expect(throws: ProjectionError.self) {
            try DomainEvent.decode(type: "UserBlocked", schemaVersion: 1, payload: Array(payload.utf8))
        }
        #expect(error?.code == .invalidPayload)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("schemas/events/UserBlocked.v1.json") == true)
    }

    @Test("enum members outside their set are refused, listing the allowed names")
    func badEnum() {
        let payload = #"{"orderId":"o","buyerId":"b","vendorId":"v","state":"lost","occurredAt":"2026-03-01T00:00:00Z"}"#
        let error = #expect(throws: ProjectionError.self) {
            try DomainEvent.decode(type: "OrderStateChanged", schemaVersion: 1, payload: Array(payload.utf8))
        }
        #expect(error?.message.contains(#""lost" is not one of "placed", "confirmed", "in_progress""#) == true)
    }

    @Test("unknown types and newer schema versions are refused")
    func unknownTypeAndVersion() {
        let unknown = #expect(throws: ProjectionError.self) { try DomainEvent.decode(type: "MessageEdited", schemaVersion: 1, payload: []) }
        #expect(unknown?.code == .unknownEventType)
        #expect(unknown?.message.contains("MessageSent") == true)
        let newer = #expect(throws: ProjectionError.self) { try DomainEvent.decode(type: "MessageSent", schemaVersion: MessageSent.schemaVersion + 1, payload: []) }
        #expect(newer?.code == .unsupportedSchemaVersion)
        #expect(newer?.message.contains("upgrade Parley") == true)
        let missing = #expect(throws: ProjectionError.self) { try DomainEvent.decode(type: "UserBlocked", schemaVersion: 0, payload: Array("{}".utf8)) }
        #expect(missing?.code == .unsupportedSchemaVersion)
    }

    @Test("each event names the stream it belongs in")
    func streams() throws {
        var rng = SeededRandom(seed: 5)
        let started = SampleEvents.make("ConversationStarted", .all, using: &rng)
        guard case .conversationStarted(let payload) = started else {
            Issue.record("SampleEvents made \(started.typeName) for ConversationStarted")
            return
        }
        #expect(try started.stream() == StreamName.conversation(payload.conversationId))
        #expect(try StreamName.order("o-1").description == "order-o-1")
        #expect(try StreamName.user("u-1").description == "user-u-1")
        #expect(throws: EventLogError.self) { try StreamName.user("has space") }
    }

    private static func foundationDecode<Payload: DomainEventPayload>(_ payload: Payload, from bytes: [UInt8]) throws -> DomainEvent {
        try JSONDecoder().decode(Payload.self, from: Data(bytes)).domainEvent
    }

    private static func foundationEncode<Payload: DomainEventPayload>(_ payload: Payload) throws -> [UInt8] {
        Array(try JSONEncoder().encode(payload))
    }
}
