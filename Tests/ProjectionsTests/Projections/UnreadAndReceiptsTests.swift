import EventLog
import Testing

@testable import Projections

@Suite("Unread counts and receipts")
struct UnreadAndReceiptsTests {
    private typealias F = Fixture

    private let events: [DomainEvent] = [
        F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z"),
        F.started("c2", buyer: "b2", vendor: "v", at: "2026-03-01T09:00:00Z"),
        F.sent("c1", "m1", by: "b", at: "2026-03-01T09:01:00Z"),
        F.sent("c1", "m2", by: "b", at: "2026-03-01T09:02:00Z"),
        F.sent("c2", "m1", by: "b2", at: "2026-03-01T09:03:00Z"),
        F.delivered("c1", to: "v", upTo: "m1", at: "2026-03-01T09:04:00Z"),
        F.read("c1", by: "v", upTo: "m2", at: "2026-03-01T09:05:00Z"),
        F.read("c1", by: "v", upTo: "m1", at: "2026-03-01T09:06:00Z"),
        F.sent("c1", "m3", by: "v", at: "2026-03-01T09:07:00Z"),
        F.read("c1", by: "v", upTo: "nope", at: "2026-03-01T09:08:00Z"),
    ]

    @Test("unread counts follow messages and read watermarks; totals sum them")
    func unread() {
        var fixture = Fixture()
        var counts = UnreadCounts()
        var totals: [String] = []
        for (index, event) in self.events.enumerated() {
            let changes = counts.apply(fixture.add(event))
            if index == 6 { totals = changes.compactMap { if case .total(let row) = $0 { "\(row.userId)=\(row.count)" } else { nil } } }
            if index == 7 || index == 9 { #expect(changes.isEmpty) }
        }
        #expect(totals == ["v=1"])
        #expect(counts.unread(user: "v", conversation: "c1") == 0)
        #expect(counts.unread(user: "v", conversation: "c2") == 1)
        #expect(counts.total(user: "v") == 1)
        #expect(counts.unread(user: "b", conversation: "c1") == 1)
        #expect(counts.total(user: "b") == 1)
    }

    @Test("receipts take delivery and read times from the first watermark covering each message")
    func receipts() throws {
        var fixture = Fixture()
        var receipts = Receipts()
        for event in self.events { _ = receipts.apply(fixture.add(event)) }
        let m1 = try #require(receipts.receipt(conversation: "c1", message: "m1", recipient: "v"))
        #expect(m1.sentAt == F.at("2026-03-01T09:01:00Z"))
        #expect(m1.deliveredAt == F.at("2026-03-01T09:04:00Z"))
        #expect(m1.readAt == F.at("2026-03-01T09:05:00Z"))
        let m2 = try #require(receipts.receipt(conversation: "c1", message: "m2", recipient: "v"))
        #expect(m2.deliveredAt == F.at("2026-03-01T09:05:00Z"))
        #expect(m2.readAt == F.at("2026-03-01T09:05:00Z"))
        let m3 = try #require(receipts.receipt(conversation: "c1", message: "m3", recipient: "b"))
        #expect(m3.deliveredAt == nil)
        #expect(receipts.receipt(conversation: "c1", message: "m3", recipient: "v") == nil)
        #expect(receipts.receipt(conversation: "c2", message: "m1", recipient: "v")?.readAt == nil)
    }
}
