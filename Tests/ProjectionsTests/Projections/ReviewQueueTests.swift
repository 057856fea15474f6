import EventLog
import Moderation
import Projections
import Testing

@Suite("Review queue")
struct ReviewQueueTests {
    private typealias F = Fixture

    static func moderated(_ c: String, _ m: String, _ action: ModerationAction, confidence: Double = 0.95, at: String) -> DomainEvent {
        let match = ModerationMatch(
            contactClass: .phoneNumber, rule: "phone.national", span: TextSpan(start: 11, length: 12), confidence: confidence, value: "07911123456")
        return .messageModerated(MessageModerated(
            conversationId: c, messageId: m, clientMessageId: "k-\(m)", senderId: "b", action: action, matches: [match],
            confidence: confidence, orderExists: false, originalText: action == .bounce ? "call me on 07911 123456" : nil,
            statementOfReasons: "reasons", occurredAt: F.at(at)))
    }

    static func reported(_ c: String, _ m: String, by user: String, _ reason: FlagReason, at: String) -> DomainEvent {
        .messageFlagged(MessageFlagged(conversationId: c, messageId: m, flaggedBy: user, reason: reason, source: .user, occurredAt: F.at(at)))
    }

    static func reviewed(_ c: String, _ m: String, _ decision: ReviewDecision, at: String) -> DomainEvent {
        .flagReviewed(FlagReviewed(
            conversationId: c, messageId: m, senderId: "b", staffId: "s-1", decision: decision, statementOfReasons: "why", occurredAt: F.at(at)))
    }

    static func rows(_ events: [DomainEvent]) -> [ReviewItemRow] {
        var fixture = Fixture()
        var queue = ReviewQueue()
        for event in events { _ = queue.apply(fixture.add(event)) }
        return queue.snapshot.map { change in
            switch change {
            case .upsert(let row): row
            }
        }
    }

    @Test("detections and reports group per message: rule, score, distinct reporters and their reasons")
    func grouping() {
        let rows = Self.rows([
            Self.moderated("c1", "m1", .flag, confidence: 0.8, at: "2026-03-01T10:00:00Z"),
            Self.reported("c1", "m1", by: "v", .offPlatform, at: "2026-03-01T10:01:00Z"),
            Self.reported("c1", "m1", by: "v", .spam, at: "2026-03-01T10:02:00Z"),
            Self.reported("c1", "m1", by: "w", .spam, at: "2026-03-01T10:03:00Z"),
            Self.reported("c1", "m2", by: "v", .harassment, at: "2026-03-01T10:04:00Z"),
            Self.moderated("c1", "m3", .allowAfterMatch, at: "2026-03-01T10:05:00Z"),
            Self.moderated("c1", "m4", .bounce, at: "2026-03-01T10:06:00Z"),
        ])
        #expect(rows.map(\.messageId) == ["m1", "m2", "m4"], "allowed after a match is not queued")
        let first = rows[0]
        #expect(first.reporters == 2, "the same user reporting twice counts once")
        #expect(first.reasons == "off_platform,spam")
        #expect(first.rule == "phone.national" && first.score == 0.8 && first.classes == "phone_number")
        #expect(first.moderationAction == "flag" && first.senderId == "b" && first.status == .open)
        #expect(first.firstAt == F.at("2026-03-01T10:00:00Z") && first.lastAt == F.at("2026-03-01T10:03:00Z"))
        #expect(rows[1].reporters == 1 && rows[1].score == 0 && rows[1].rule == nil && rows[1].senderId == nil)
        #expect(rows[2].originalText == "call me on 07911 123456" && rows[2].moderationAction == "bounce")
    }

    @Test("a decision closes the item; a new report opens it again; decisions about unknown items change nothing")
    func decisions() {
        let rows = Self.rows([
            Self.reported("c1", "m1", by: "v", .spam, at: "2026-03-01T10:00:00Z"),
            Self.reviewed("c1", "m1", .dismiss, at: "2026-03-01T11:00:00Z"),
            Self.reported("c1", "m2", by: "v", .spam, at: "2026-03-01T10:00:00Z"),
            Self.reviewed("c1", "m2", .warn, at: "2026-03-01T11:00:00Z"),
            Self.reported("c1", "m2", by: "w", .harassment, at: "2026-03-01T12:00:00Z"),
            Self.reviewed("c1", "m9", .redact, at: "2026-03-01T11:00:00Z"),
        ])
        #expect(rows.map(\.messageId) == ["m1", "m2"])
        #expect(rows[0].status == .dismissed && rows[0].decidedBy == "s-1" && rows[0].decisionReason == "why")
        #expect(rows[1].status == .open && rows[1].reporters == 2)
    }
}
