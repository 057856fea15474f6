import EventLog
import Testing

@testable import Projections

@Suite("Inbox")
struct InboxTests {
    private typealias F = Fixture

    private func inbox(_ events: [DomainEvent]) -> (Inbox, [[Inbox.Change]]) {
        var fixture = Fixture()
        var inbox = Inbox()
        let changes = events.map { inbox.apply(fixture.add($0)) }
        return (inbox, changes)
    }

    @Test("a conversation gives each participant a row with the counterpart and the subject")
    func start() throws {
        let (inbox, changes) = self.inbox([
            .userProfileUpdated(UserProfileUpdated(userId: "v", displayName: "Aiko", role: .vendor, occurredAt: F.at("2026-03-01T08:00:00Z"))),
            F.started("c1", buyer: "b", vendor: "v", subject: .listing(id: "l1", title: "Camera lens", priceCents: 42_000), at: "2026-03-01T09:00:00Z"),
        ])
        #expect(changes[1].filter { if case .upsert = $0 { true } else { false } }.count == 2, "a row for each participant")
        let buyerRow = try #require(inbox.row(owner: "b", conversation: "c1"))
        #expect(buyerRow.counterpartId == "v")
        #expect(buyerRow.counterpartName == "Aiko")
        #expect(buyerRow.counterpartRole == .vendor)
        #expect(buyerRow.subject.title == "Camera lens")
        #expect(buyerRow.lastActivityAt == F.at("2026-03-01T09:00:00Z"))
        let vendorRow = try #require(inbox.row(owner: "v", conversation: "c1"))
        #expect(vendorRow.counterpartRole == .buyer)
        #expect(vendorRow.counterpartName == nil)
    }

    @Test("messages update preview, unread and awaiting reply; automated ones do not answer")
    func messages() throws {
        let (inbox, _) = self.inbox([
            F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z"),
            F.sent("c1", "m1", by: "b", "Is it available?", at: "2026-03-01T09:01:00Z"),
            F.sent("c1", "m2", by: "v", "Thanks, we will answer soon", automated: true, at: "2026-03-01T09:01:01Z"),
            F.sent("c1", "m3", by: "b", "Hello?", at: "2026-03-01T09:30:00Z"),
        ])
        let vendorRow = try #require(inbox.row(owner: "v", conversation: "c1"))
        #expect(vendorRow.unreadCount == 2)
        #expect(vendorRow.awaitingReply)
        #expect(vendorRow.lastMessagePreview == "Hello?")
        #expect(vendorRow.lastMessageSenderId == "b")
        #expect(vendorRow.lastActivityAt == F.at("2026-03-01T09:30:00Z"))
        let buyerRow = try #require(inbox.row(owner: "b", conversation: "c1"))
        #expect(buyerRow.unreadCount == 1)
        #expect(!buyerRow.awaitingReply)

        let (answered, _) = self.inbox([
            F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z"),
            F.sent("c1", "m1", by: "b", at: "2026-03-01T09:01:00Z"),
            F.sent("c1", "m2", by: "v", at: "2026-03-01T09:05:00Z"),
            F.read("c1", by: "b", upTo: "m2", at: "2026-03-01T09:06:00Z"),
        ])
        #expect(answered.row(owner: "v", conversation: "c1")?.awaitingReply == false)
        #expect(answered.row(owner: "b", conversation: "c1")?.awaitingReply == true)
        #expect(answered.row(owner: "b", conversation: "c1")?.unreadCount == 0)
    }

    @Test("long previews are cut; a redacted last message loses its preview")
    func previewsAndRedaction() throws {
        let long = String(repeating: "é", count: 200)
        let (inbox, _) = self.inbox([
            F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z"),
            F.sent("c1", "m1", by: "b", long, at: "2026-03-01T09:01:00Z"),
        ])
        #expect(inbox.row(owner: "v", conversation: "c1")?.lastMessagePreview?.count == InboxRow.previewLength)
        let (redacted, _) = self.inbox([
            F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z"),
            F.sent("c1", "m1", by: "b", "call me at 555 0100", at: "2026-03-01T09:01:00Z"),
            F.redacted("c1", "m1", at: "2026-03-01T09:02:00Z"),
        ])
        let row = try #require(redacted.row(owner: "v", conversation: "c1"))
        #expect(row.lastMessagePreview == nil)
        #expect(row.lastMessageRedacted)
        let (replied, _) = self.inbox([
            F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z"),
            F.sent("c1", "m1", by: "b", "call me at 555 0100", at: "2026-03-01T09:01:00Z"),
            F.redacted("c1", "m1", at: "2026-03-01T09:02:00Z"),
            F.sent("c1", "m2", by: "v", "Let's keep it here, please", at: "2026-03-01T09:03:00Z"),
        ])
        #expect(replied.row(owner: "b", conversation: "c1")?.lastMessageRedacted == false)
        #expect(replied.row(owner: "b", conversation: "c1")?.lastMessagePreview == "Let's keep it here, please")
    }

    @Test("order states, listing updates, blocks and muting reach the rows")
    func context() throws {
        let (inbox, _) = self.inbox([
            F.order("o1", .placed, at: "2026-03-01T08:00:00Z"),
            F.started("c1", buyer: "b", vendor: "v", subject: .order(id: "o1", title: "Mug"), at: "2026-03-01T09:00:00Z"),
            F.started("c2", buyer: "b", vendor: "v", subject: .listing(id: "l1", title: "Lens", priceCents: 100), at: "2026-03-01T09:00:00Z"),
            F.order("o1", .disputed, at: "2026-03-02T08:00:00Z"),
            .listingUpdated(ListingUpdated(listingId: "l1", vendorId: "v", title: "Lens 50mm", priceCents: 90, occurredAt: F.at("2026-03-02T09:00:00Z"))),
            .userBlocked(UserBlocked(blockerId: "b", blockedId: "v", occurredAt: F.at("2026-03-02T10:00:00Z"))),
        ] + NotificationChannel.allCases.map { channel in
            .notificationPreferenceChanged(NotificationPreferenceChanged(
                userId: "v", channel: channel, category: .newMessage, enabled: false, occurredAt: F.at("2026-03-02T11:00:00Z")))
        })
        let orderRow = try #require(inbox.row(owner: "b", conversation: "c1"))
        #expect(orderRow.orderState == .disputed)
        #expect(orderRow.blocked)
        #expect(!orderRow.blockedByCounterpart)
        #expect(!orderRow.muted)
        let vendorRow = try #require(inbox.row(owner: "v", conversation: "c2"))
        #expect(vendorRow.subject.title == "Lens 50mm")
        #expect(vendorRow.subject.priceCents == 90)
        #expect(vendorRow.blockedByCounterpart)
        #expect(vendorRow.muted)
    }

    @Test("a block shows on the two users' rows of their conversations only, not on the blocker's other counterparts' rows")
    func blockTouchesThePairOnly() throws {
        let (inbox, _) = self.inbox([
            F.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z"),
            F.started("c2", buyer: "b", vendor: "w", at: "2026-03-01T09:00:00Z"),
            .userBlocked(UserBlocked(blockerId: "b", blockedId: "v", occurredAt: F.at("2026-03-02T10:00:00Z"))),
        ])
        #expect(inbox.row(owner: "b", conversation: "c1")?.blocked == true)
        #expect(inbox.row(owner: "v", conversation: "c1")?.blockedByCounterpart == true)
        #expect(inbox.row(owner: "b", conversation: "c2")?.blocked == false)
        #expect(inbox.row(owner: "w", conversation: "c2")?.blockedByCounterpart == false, "w was not blocked")
    }
}
