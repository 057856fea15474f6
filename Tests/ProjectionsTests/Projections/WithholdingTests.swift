import EventLog
import Moderation
import Testing

@testable import Projections

/// Shadow-restricted and held messages: stored, shown to their sender, kept from the recipient
/// (no unread count, inbox row, response metric or stream update) until staff release a held one.
@Suite("Withheld messages")
struct WithholdingTests {
    private typealias F = Fixture

    static func sent(_ c: String, _ m: String, by sender: String, _ withheld: Withholding?, at: String) -> DomainEvent {
        .messageSent(MessageSent(
            conversationId: c, messageId: m, clientMessageId: "client-\(m)", senderId: sender, text: "text of \(m)", automated: false,
            withheld: withheld, occurredAt: F.at(at)))
    }

    static func reviewed(_ c: String, _ m: String, by sender: String, _ decision: ReviewDecision, at: String) -> DomainEvent {
        .flagReviewed(FlagReviewed(
            conversationId: c, messageId: m, senderId: sender, staffId: "s-1", decision: decision, statementOfReasons: "why",
            occurredAt: F.at(at)))
    }

    /// Buyer b asks at 10:00; vendor v's shadow-restricted reply at 10:05 answers nothing; b's
    /// held follow-up at 10:10 is released by a dismissal at 11:00; v's held message at 10:20 is
    /// redacted and never reaches b.
    private let events: [DomainEvent] = [
        F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:59:00Z"),
        Self.sent("c1", "m1", by: "b", nil, at: "2026-03-01T10:00:00Z"),
        F.read("c1", by: "v", upTo: "m1", at: "2026-03-01T10:01:00Z"),
        Self.sent("c1", "m2", by: "v", .shadow, at: "2026-03-01T10:05:00Z"),
        Self.sent("c1", "m3", by: "b", .held, at: "2026-03-01T10:10:00Z"),
        Self.sent("c1", "m4", by: "v", .held, at: "2026-03-01T10:20:00Z"),
        F.redacted("c1", "m4", at: "2026-03-01T10:30:00Z"),
        Self.reviewed("c1", "m4", by: "v", .redact, at: "2026-03-01T10:30:00Z"),
        Self.reviewed("c1", "m3", by: "b", .dismiss, at: "2026-03-01T11:00:00Z"),
        Self.reviewed("c1", "m2", by: "v", .dismiss, at: "2026-03-01T11:05:00Z"),
    ]

    /// Buyer b2 is shadow-restricted: their question at 09:01 reaches v as nothing; v writes
    /// first at 09:30, so no question of b2's was ever delivered.
    private let shadowedBuyer: [DomainEvent] = [
        F.started("c2", buyer: "b2", vendor: "v", at: "2026-03-02T09:00:00Z"),
        Self.sent("c2", "q1", by: "b2", .shadow, at: "2026-03-02T09:01:00Z"),
        Self.sent("c2", "r1", by: "v", nil, at: "2026-03-02T09:30:00Z"),
    ]

    /// Applies the first `count` of `events` (all of ``events`` by default).
    private func replay<P: Projection>(_ projection: P, _ count: Int? = nil, of events: [DomainEvent]? = nil) -> P {
        let events = events ?? self.events
        var fixture = Fixture()
        var projection = projection
        for event in events.prefix(count ?? events.count) { _ = projection.apply(fixture.add(event)) }
        return projection
    }

    @Test("a shadow-restricted buyer's question: no unread count, inbox message, response-metric question or stream message for the vendor")
    func shadowedBuyerQuestion() throws {
        let unread = self.replay(UnreadCounts(), 2, of: self.shadowedBuyer)
        #expect(unread.unread(user: "v", conversation: "c2") == 0 && unread.total(user: "v") == 0)
        let inbox = self.replay(Inbox(), 2, of: self.shadowedBuyer)
        let vendorRow = inbox.row(owner: "v", conversation: "c2")
        #expect(vendorRow?.lastMessageId == nil && (vendorRow?.unreadCount ?? 0) == 0, "\(String(describing: vendorRow))")
        #expect(inbox.row(owner: "b2", conversation: "c2")?.lastMessageId == "q1", "b2 sees the own message as sent")
        let metrics = self.replay(VendorResponseMetrics(), of: self.shadowedBuyer)
        #expect(metrics.firstResponse(conversation: "c2")?.askedAt == nil, "v was never asked, so v's message answers nothing")
        #expect(metrics.figures(vendor: "v", day: UTCDay(F.at("2026-03-02T09:01:00Z"))) == nil, "the day counts no conversation of v's")
        var fixture = Fixture()
        var feed = UserFeed()
        var updates: [UserUpdate] = []
        for event in self.shadowedBuyer.prefix(2) { feed.apply(fixture.add(event), into: &updates) }
        let vendor = updates.filter { $0.userId == "v" && $0.position == 2 }
        #expect(vendor.map(\.kind) == [.hidden] && vendor.allSatisfy { $0.event == nil && $0.inbox.isEmpty }, "\(vendor)")
    }

    @Test("no unread count from a withheld message; a released held one counts from its release")
    func unread() {
        let beforeRelease = self.replay(UnreadCounts(), 8)
        #expect(beforeRelease.unread(user: "b", conversation: "c1") == 0, "the shadow and the redacted held message never count for b")
        #expect(beforeRelease.unread(user: "v", conversation: "c1") == 0, "b's held message does not count for v yet")
        let after = self.replay(UnreadCounts())
        #expect(after.unread(user: "v", conversation: "c1") == 1 && after.total(user: "v") == 1, "released to v")
        #expect(after.unread(user: "b", conversation: "c1") == 0, "dismissing the shadow message's review releases nothing")
    }

    @Test("a withheld message is on its sender's inbox row only; the recipient's row shows it once released")
    func inbox() throws {
        let held = self.replay(Inbox(), 5)
        let vendorRow = try #require(held.row(owner: "v", conversation: "c1"))
        #expect(vendorRow.lastMessageId == "m2" && vendorRow.unreadCount == 0, "v sees the own shadow message as sent, not b's held one")
        let buyerRow = try #require(held.row(owner: "b", conversation: "c1"))
        #expect(buyerRow.lastMessageId == "m3" && buyerRow.unreadCount == 0, "b sees the own held message as sent, and nothing of m2")
        let released = try #require(self.replay(Inbox(), 9).row(owner: "v", conversation: "c1"))
        #expect(released.unreadCount == 1, "the released message counts for v")
        #expect(released.lastMessageId == "m4", "v's own later message stays the row's last")
        let buyerAfter = try #require(self.replay(Inbox()).row(owner: "b", conversation: "c1"))
        #expect(buyerAfter.lastMessageId == "m3" && buyerAfter.unreadCount == 0, "neither m2 nor m4 ever reached b")
    }

    @Test("a shadow-restricted reply answers nothing in the vendor's response metrics")
    func metrics() throws {
        let metrics = self.replay(VendorResponseMetrics())
        let first = try #require(metrics.firstResponse(conversation: "c1"))
        #expect(first.askedAt == F.at("2026-03-01T10:00:00Z"))
        #expect(first.answeredAt == nil, "m2 was never delivered, m4 was held and redacted")
    }

    @Test("the recipient's stream gets only a hidden update for a withheld message, and the message itself once it is released")
    func stream() throws {
        var fixture = Fixture()
        var feed = UserFeed()
        var updates: [UserUpdate] = []
        for event in self.events { feed.apply(fixture.add(event), into: &updates) }
        func told(_ user: String, at index: Int) -> [UserUpdate] { updates.filter { $0.userId == user && $0.position == Int64(index + 1) } }
        for index in [3, 5, 6] {
            let buyer = told("b", at: index)
            #expect(buyer.map(\.kind) == [.hidden] && buyer.allSatisfy { $0.event == nil && $0.inbox.isEmpty }, "v's withheld message \(index)")
        }
        #expect(told("v", at: 3).map(\.kind) == [.messageAdded] && told("v", at: 5).map(\.kind) == [.messageAdded], "v sees the own messages as sent")
        if case .messageSent(let own)? = told("v", at: 3).first?.event {
            #expect(own.withheld == nil, "the sender is not told of the shadow restriction")
        } else {
            Issue.record("v is shown the own shadow-restricted message")
        }
        #expect(told("v", at: 4).map(\.kind) == [.hidden], "b's held message")
        let release = told("v", at: 8)
        #expect(release.map(\.kind) == [.messageAdded])
        guard case .messageSent(let message)? = release.first?.event else {
            Issue.record("the release shows v the message, got \(String(describing: release.first?.event))")
            return
        }
        #expect(message.messageId == "m3" && message.withheld == nil && message.text == "text of m3")
        #expect(release.first?.inbox.first?.unreadCount == 1, "v's row counts the released message")
        #expect(told("b", at: 9).map(\.kind) == [.hidden], "the review of v's shadow message is not shown to b")
        #expect(told("v", at: 9).map(\.kind) == [.hidden], "nor, as a dismissal, to v")
        #expect(updates.filter { $0.userId == "b" }.allSatisfy { update in
            guard case .messageSent(let sent)? = update.event else { return true }
            return sent.senderId == "b"
        }, "no message of v's ever reaches b")
    }

    @Test("a restrict decision is not shown to its subject; warn and suspend are")
    func restrictIsSilent() {
        #expect(UserFeed.kind(of: Self.reviewed("c1", "m1", by: "v", .restrict, at: "2026-03-01T10:00:00Z"), for: "v") == .hidden)
        #expect(UserFeed.kind(of: Self.reviewed("c1", "m1", by: "v", .warn, at: "2026-03-01T10:00:00Z"), for: "v") == .messageReviewed)
        #expect(UserFeed.kind(of: Self.reviewed("c1", "m1", by: "v", .suspend, at: "2026-03-01T10:00:00Z"), for: "v") == .messageReviewed)
    }
}
