import EventLog
import Projections
import Testing

/// The user feed decides who is told of each event, as what, and with which inbox rows: the
/// stream's content. Each test applies events and checks the updates per user.
@Suite("The user feed: who is told what")
struct UserFeedTests {
    /// Applies `events` to `feed` and returns the updates, in order.
    private static func updates(_ events: [ProjectedEvent], feed: inout UserFeed) -> [UserUpdate] {
        var updates: [UserUpdate] = []
        for event in events { feed.apply(event, into: &updates) }
        return updates
    }

    /// Each update as "user kind", in order.
    private static func told(_ updates: [UserUpdate]) -> [String] {
        updates.map { "\($0.userId) \($0.kind.rawValue)" }
    }

    @Test("a conversation's events reach its two participants, as what each may see, with their own inbox row; a stranger is told nothing")
    func conversationEvents() {
        var fixture = Fixture()
        var feed = UserFeed()
        let other = fixture.add(Fixture.started("c9", buyer: "x", vendor: "y", at: "2026-03-01T09:00:00Z"))
        #expect(Self.told(Self.updates([other], feed: &feed)) == ["x conversation.started", "y conversation.started"])
        let started = fixture.add(Fixture.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T10:00:00Z"))
        let first = Self.updates([started], feed: &feed)
        #expect(Self.told(first) == ["b conversation.started", "v conversation.started"])
        #expect(first.allSatisfy { $0.inbox.map(\.ownerId) == [$0.userId] }, "each is sent their own row, not the other's")

        let sent = fixture.add(Fixture.sent("c1", "m1", by: "b", "Still available?", at: "2026-03-01T10:01:00Z"))
        let delivered = fixture.add(Fixture.delivered("c1", to: "v", upTo: "m1", at: "2026-03-01T10:01:01Z"))
        let read = fixture.add(Fixture.read("c1", by: "v", upTo: "m1", at: "2026-03-01T10:02:00Z"))
        let updates = Self.updates([sent, delivered, read], feed: &feed)
        #expect(Self.told(updates) == [
            "b message.added", "v message.added", "b receipt.delivered", "v receipt.delivered", "b receipt.read", "v receipt.read",
        ])
        #expect(updates.allSatisfy { $0.userId == "b" || $0.userId == "v" })
        let vendorAdded = updates[1]
        #expect(vendorAdded.position == sent.position && vendorAdded.streamVersion == 2 && vendorAdded.stream.description == "conversation-c1")
        #expect(vendorAdded.inbox.first?.unreadCount == 1, "the vendor's row counts the new message")
        #expect(updates[5].inbox.first?.unreadCount == 0, "the read clears it")
        #expect(feed.position == read.position)
    }

    @Test("a user's flag is told to the flagger only; an order's change to its buyer and vendor; a profile change to its user, and to counterparts as their inbox rows")
    func flagsOrdersAndProfiles() {
        var fixture = Fixture()
        var feed = UserFeed()
        let setup = [
            fixture.add(Fixture.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T10:00:00Z")),
            fixture.add(Fixture.started("c2", buyer: "b2", vendor: "v", at: "2026-03-01T10:00:00Z")),
            fixture.add(Fixture.sent("c1", "m1", by: "v", "Call me", at: "2026-03-01T10:01:00Z")),
        ]
        _ = Self.updates(setup, feed: &feed)
        let flag = fixture.add(.messageFlagged(MessageFlagged(
            conversationId: "c1", messageId: "m1", flaggedBy: "b", reason: .offPlatform, source: .user, occurredAt: Fixture.at("2026-03-01T10:02:00Z"))))
        #expect(Self.told(Self.updates([flag], feed: &feed)) == ["b message.flagged", "v hidden"])

        let order = fixture.add(Fixture.order("o1", .placed, buyer: "b", vendor: "v", at: "2026-03-01T10:03:00Z"))
        #expect(Self.told(Self.updates([order], feed: &feed)) == ["b order.state", "v order.state"])
        #expect(feed.hasActiveOrder(buyer: "b", vendor: "v") && !feed.hasActiveOrder(buyer: "b2", vendor: "v"))

        let profile = fixture.add(.userProfileUpdated(UserProfileUpdated(
            userId: "v", displayName: "Vic Vendor", role: .vendor, occurredAt: Fixture.at("2026-03-01T10:04:00Z"))))
        let updates = Self.updates([profile], feed: &feed)
        #expect(Self.told(updates) == ["v user.changed", "b inbox.changed", "b2 inbox.changed"])
        #expect(updates.dropFirst().allSatisfy { $0.inbox.first?.counterpartName == "Vic Vendor" && $0.event == nil })
    }

    @Test("a message staff redacted is sent to a catch-up without its text, and inbox rows whose last message it is without their preview")
    func redactedInCatchUps() throws {
        var fixture = Fixture()
        var feed = UserFeed()
        let events = [
            fixture.add(Fixture.started("c1", buyer: "b", vendor: "v", at: "2026-03-01T10:00:00Z")),
            fixture.add(Fixture.sent("c1", "m1", by: "v", "my number is 0770 090 0123", at: "2026-03-01T10:01:00Z")),
        ]
        let sent = try #require(Self.updates(events, feed: &feed).last)
        let redaction = fixture.add(Fixture.redacted("c1", "m1", at: "2026-03-01T10:05:00Z"))
        #expect(Self.told(Self.updates([redaction], feed: &feed)) == ["b message.redacted", "v message.redacted"])
        #expect(feed.conversation("c1")?.redacted == ["m1"])
        let current = sent.hidingRedacted(feed.conversation("c1")?.redacted ?? [])
        guard case .messageSent(let message)? = current.event else { Issue.record("not a message: \(String(describing: current.event))"); return }
        #expect(message.text.isEmpty && current.redacted)
        #expect(current.inbox.allSatisfy { $0.lastMessagePreview == nil && $0.lastMessageRedacted })
        #expect(sent.hidingRedacted(["m-other"]) == sent, "another message's redaction changes nothing")
    }

    @Test("the same events give the same updates: a feed replayed from the log streams exactly what it streamed before", arguments: [UInt64(3), 17, 99])
    func deterministic(seed: UInt64) {
        let events = RandomHistory.make(seed: seed, count: 500)
        var first = UserFeed()
        var second = UserFeed()
        let once = Self.updates(events, feed: &first)
        #expect(!once.isEmpty)
        #expect(once == Self.updates(events, feed: &second))
        #expect(once.map(\.position) == once.map(\.position).sorted(), "updates come in log order")
    }
}
