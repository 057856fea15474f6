import EventLog
import Testing

@testable import Projections

@Suite("Vendor response metrics")
struct VendorResponseMetricsTests {
    private typealias F = Fixture

    /// Vendor `v`, hand-computed:
    /// - c1: asked 03-01 10:00, automated reply 10:00:05 (not counted), answered 10:30 → 1,800 s.
    /// - c2: asked 03-01 23:30, answered 03-02 08:00 (overnight, counts on 03-01) → 30,600 s.
    /// - c3: asked 03-01 12:00, reply 12:10 later flagged spam, answered 14:00 → 7,200 s.
    /// - c4: asked 03-01 15:00, never answered.
    /// - c5: vendor wrote first 03-01 16:00 (answers nothing), asked 03-02 01:00, answered 03-03 09:00 → 115,200 s.
    /// - c6: asked 03-01 20:00 but that message is flagged spam, so asked 03-02 07:00, answered 07:30 → 1,800 s.
    /// So 03-01: 4 conversations, answered 1,800 / 7,200 / 30,600: median 7,200, mean 13,200, ≤1 h: 1, ≤24 h: 3.
    /// And 03-02: 2 conversations, answered 115,200 / 1,800: median and mean 58,500, ≤1 h: 1, ≤24 h: 1.
    private let events: [DomainEvent] = [
        F.started("c1", buyer: "b1", vendor: "v", at: "2026-03-01T09:59:00Z"),
        F.sent("c1", "m1", by: "b1", at: "2026-03-01T10:00:00Z"),
        F.sent("c1", "m2", by: "v", "Thanks! We reply within a day.", automated: true, at: "2026-03-01T10:00:05Z"),
        F.sent("c1", "m3", by: "v", at: "2026-03-01T10:30:00Z"),
        F.sent("c1", "m4", by: "b1", at: "2026-03-01T10:31:00Z"),
        F.started("c3", buyer: "b3", vendor: "v", at: "2026-03-01T11:59:00Z"),
        F.sent("c3", "m1", by: "b3", at: "2026-03-01T12:00:00Z"),
        F.sent("c3", "m2", by: "v", "MEGA SALE", at: "2026-03-01T12:10:00Z"),
        F.sent("c3", "m3", by: "v", at: "2026-03-01T14:00:00Z"),
        F.started("c4", buyer: "b4", vendor: "v", at: "2026-03-01T14:59:00Z"),
        F.sent("c4", "m1", by: "b4", at: "2026-03-01T15:00:00Z"),
        F.started("c5", buyer: "b5", vendor: "v", at: "2026-03-01T15:59:00Z"),
        F.sent("c5", "m1", by: "v", at: "2026-03-01T16:00:00Z"),
        F.flagged("c3", "m2", reason: .spam, at: "2026-03-01T18:00:00Z"),
        F.started("c6", buyer: "b6", vendor: "v", at: "2026-03-01T19:59:00Z"),
        F.sent("c6", "m1", by: "b6", "Earn $500/day", at: "2026-03-01T20:00:00Z"),
        F.flagged("c6", "m1", reason: .spam, at: "2026-03-01T20:05:00Z"),
        F.flagged("c4", "m1", reason: .harassment, at: "2026-03-01T20:06:00Z"),
        F.started("c2", buyer: "b2", vendor: "v", at: "2026-03-01T23:29:00Z"),
        F.sent("c2", "m1", by: "b2", at: "2026-03-01T23:30:00Z"),
        F.sent("c5", "m2", by: "b5", at: "2026-03-02T01:00:00Z"),
        F.sent("c6", "m2", by: "b6", at: "2026-03-02T07:00:00Z"),
        F.sent("c6", "m3", by: "v", at: "2026-03-02T07:30:00Z"),
        F.sent("c2", "m2", by: "v", at: "2026-03-02T08:00:00Z"),
        F.sent("c5", "m3", by: "v", at: "2026-03-03T09:00:00Z"),
    ]

    private func metrics(_ events: [DomainEvent]) -> VendorResponseMetrics {
        var fixture = Fixture()
        var metrics = VendorResponseMetrics()
        for event in events { _ = metrics.apply(fixture.add(event)) }
        return metrics
    }

    @Test("daily figures match the hand-computed fixture")
    func dailyFigures() throws {
        let metrics = self.metrics(self.events)
        let first = try #require(metrics.figures(vendor: "v", day: UTCDay(F.at("2026-03-01T00:00:00Z"))))
        #expect(first.conversations == 4)
        #expect(first.answered == 3)
        #expect(first.medianResponseSeconds == 7_200)
        #expect(first.meanResponseSeconds == 13_200)
        #expect(first.answeredWithin1h == 1)
        #expect(first.answeredWithin24h == 3)
        #expect(first.shareWithin1h == 0.25)
        #expect(first.shareWithin24h == 0.75)
        let second = try #require(metrics.figures(vendor: "v", day: UTCDay(F.at("2026-03-02T00:00:00Z"))))
        #expect(second.conversations == 2)
        #expect(second.medianResponseSeconds == 58_500)
        #expect(second.meanResponseSeconds == 58_500)
        #expect(second.answeredWithin1h == 1)
        #expect(second.answeredWithin24h == 1)
        #expect(second.day.description == "2026-03-02")
    }

    @Test("per-conversation first responses: overnight, automated, spam-flagged and vendor-first cases")
    func conversations() {
        let metrics = self.metrics(self.events)
        #expect(metrics.firstResponse(conversation: "c1")?.responseSeconds == 1_800)
        #expect(metrics.firstResponse(conversation: "c2")?.responseSeconds == 30_600)
        #expect(metrics.firstResponse(conversation: "c3")?.responseSeconds == 7_200)
        #expect(metrics.firstResponse(conversation: "c4")?.askedAt == F.at("2026-03-01T15:00:00Z"))
        #expect(metrics.firstResponse(conversation: "c4")?.responseSeconds == nil)
        #expect(metrics.firstResponse(conversation: "c5")?.responseSeconds == 115_200)
        #expect(metrics.firstResponse(conversation: "c6")?.askedAt == F.at("2026-03-02T07:00:00Z"))
    }

    @Test("before the spam flag, the spam reply counted as the answer")
    func beforeFlag() throws {
        let metrics = self.metrics(Array(self.events.prefix(13)))
        #expect(metrics.firstResponse(conversation: "c3")?.responseSeconds == 600)
        let day = try #require(metrics.figures(vendor: "v", day: UTCDay(F.at("2026-03-01T00:00:00Z"))))
        #expect(day.conversations == 3)
        #expect(day.medianResponseSeconds == 1_200)
        #expect(day.answeredWithin1h == 2)
    }

    @Test("a day whose only conversation moved away keeps a row of zeros")
    func emptiedDay() throws {
        let metrics = self.metrics(Array(self.events.prefix(17)))
        let day = try #require(metrics.figures(vendor: "v", day: UTCDay(F.at("2026-03-01T00:00:00Z"))))
        #expect(day.conversations == 3)
        #expect(metrics.firstResponse(conversation: "c6")?.askedAt == nil)
        let single = self.metrics([
            F.started("c", buyer: "b", vendor: "w", at: "2026-03-05T10:00:00Z"),
            F.sent("c", "m1", by: "b", at: "2026-03-05T10:00:00Z"),
            F.flagged("c", "m1", reason: .spam, at: "2026-03-05T10:01:00Z"),
        ])
        let empty = try #require(single.figures(vendor: "w", day: UTCDay(F.at("2026-03-05T00:00:00Z"))))
        #expect(empty.conversations == 0)
        #expect(empty.medianResponseSeconds == nil)
        #expect(empty.shareWithin24h == 0)
    }
}
