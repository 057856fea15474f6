import EventLog
import Testing

@testable import Projections

@Suite("Dispute timeline, message search and message volume")
struct TimelineAndVolumeTests {
    private typealias F = Fixture

    private let events: [DomainEvent] = [
        F.order("o1", .placed, buyer: "b", vendor: "v", at: "2026-03-01T08:00:00Z"),
        F.started("c1", buyer: "b", vendor: "v", subject: .order(id: "o1"), at: "2026-03-01T09:00:00Z"),
        F.started("c2", buyer: "b", vendor: "v", subject: .listing(id: "l1", title: "Lens", priceCents: 100), at: "2026-03-01T09:10:00Z"),
        F.sent("c1", "m1", by: "b", "call me on 555 0100", at: "2026-03-01T09:20:00Z"),
        F.sent("c2", "m1", by: "v", "auto", automated: true, at: "2026-03-02T00:00:01Z"),
        F.read("c1", by: "v", upTo: "m1", at: "2026-03-02T09:21:00Z"),
        F.redacted("c1", "m1", at: "2026-03-02T09:30:00Z"),
        F.order("o1", .disputed, buyer: "b", vendor: "v", at: "2026-03-02T10:00:00Z"),
        .userBlocked(UserBlocked(blockerId: "v", blockedId: "b", occurredAt: F.at("2026-03-02T11:00:00Z"))),
        .staffViewedConversation(StaffViewedConversation(conversationId: "c1", staffId: "s-9", reason: "dispute", occurredAt: F.at("2026-03-02T12:00:00Z"))),
        .userProfileUpdated(UserProfileUpdated(userId: "b", displayName: "Sarah", role: .buyer, occurredAt: F.at("2026-03-02T13:00:00Z"))),
    ]

    @Test("conversation and order timelines hold their events in log order, with actors and original text")
    func timelines() throws {
        var fixture = Fixture()
        var timeline = DisputeTimeline()
        for event in self.events { _ = timeline.apply(fixture.add(event)) }
        let conversation = timeline.entries(of: .conversation("c1"))
        #expect(conversation.map(\.position) == [2, 4, 6, 7, 8, 9, 10])
        #expect(conversation.map(\.actor) == ["b", "b", "v", "s-1", nil, "v", "s-9"])
        guard case .messageSent(let message) = conversation[1].event else {
            Issue.record("expected the message")
            return
        }
        #expect(message.text == "call me on 555 0100")
        #expect(timeline.entries(of: .order("o1")).map(\.position) == [1, 2, 4, 6, 7, 8, 9, 10])
        #expect(timeline.entries(of: .conversation("c2")).map(\.position) == [3, 5, 9])
        #expect(conversation.allSatisfy { $0.recordedAt > $0.occurredAt })
    }

    @Test("message search keeps every message's original text and marks redactions")
    func messageSearch() {
        var fixture = Fixture()
        var search = MessageSearch()
        var changes: [MessageSearch.Change] = []
        for event in self.events { search.apply(fixture.add(event), into: &changes) }
        #expect(changes.count == 3)
        let rows = search.snapshot.map { change in
            guard case .upsert(let row) = change else { fatalError() }
            return "\(row.conversationId)/\(row.messageId) \(row.senderId) \(row.redacted) \(row.body)"
        }
        #expect(rows == ["c1/m1 b true call me on 555 0100", "c2/m1 v false auto"])
    }

    @Test("message volume counts per UTC day and subject kind")
    func volume() {
        var fixture = Fixture()
        var volume = MessageVolume()
        for event in self.events { _ = volume.apply(fixture.add(event)) }
        var rows: [String: String] = [:]
        for case .upsert(let row) in volume.snapshot {
            rows["\(row.day) \(row.subjectKind)"] = "\(row.conversationsStarted)/\(row.messages)/\(row.automatedMessages)"
        }
        #expect(rows == ["2026-03-01 order": "1/1/0", "2026-03-01 listing": "1/0/0", "2026-03-02 listing": "0/1/1"])
    }
}
