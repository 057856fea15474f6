import EventLog
import Testing

@testable import Projections

@Suite("Upcasters")
struct UpcasterTests {
    private let v1 = """
        {"conversationId":"c-1","messageId":"m-1","clientMessageId":"cm-1","senderId":"u-1",\
        "text":"Is it still available?","occurredAt":"2026-03-01T10:00:00.000000Z"}
        """

    @Test("MessageSent v1, without the automated flag, reads as the current version with automated = false and nothing withheld")
    func messageSentV1() throws {
        let event = try DomainEvent.decode(type: "MessageSent", schemaVersion: 1, payload: Array(self.v1.utf8))
        #expect(event == .messageSent(MessageSent(
            conversationId: "c-1", messageId: "m-1", clientMessageId: "cm-1", senderId: "u-1", text: "Is it still available?",
            automated: false, occurredAt: Timestamp(rfc3339: "2026-03-01T10:00:00Z")!)))
        #expect(event.schemaVersion == MessageSent.schemaVersion)
    }

    @Test("a v1 payload that is not JSON is refused as invalid")
    func brokenV1() {
        let error = #expect(throws: ProjectionError.self) {
            try DomainEvent.decode(type: "MessageSent", schemaVersion: 1, payload: Array("{\"text\":".utf8))
        }
        #expect(error?.code == .invalidPayload)
    }

    @Test("every version below the current one of every type has an upcaster")
    func chainsAreComplete() {
        for (name, current) in DomainEvent.types {
            for version in 1..<current {
                #expect(Upcaster.all.contains { $0.eventType == name && $0.fromVersion == version }, "\(name) v\(version)")
            }
        }
    }
}
