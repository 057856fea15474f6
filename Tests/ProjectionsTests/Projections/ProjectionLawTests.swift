import ParleyTestSupport
@testable import Projections
import Testing

@Suite("Projection laws on random logs")
struct ProjectionLawTests {
    static let seeds: [UInt64] = Array(1...12)

    @Test("one by one, in random batches, and from the snapshot: the same state and the same rows", arguments: Self.seeds)
    func batchesAndSnapshots(seed: UInt64) {
        let events = RandomHistory.make(seed: seed, count: 700)
        Self.check(Inbox.self, events, seed: seed)
        Self.check(UnreadCounts.self, events, seed: seed)
        Self.check(Receipts.self, events, seed: seed)
        Self.check(VendorResponseMetrics.self, events, seed: seed)
        Self.check(DisputeTimeline.self, events, seed: seed)
        Self.check(MessageVolume.self, events, seed: seed)
        Self.check(MessageSearch.self, events, seed: seed)
        Self.check(ReviewQueue.self, events, seed: seed)
        Self.check(UserStanding.self, events, seed: seed)
    }

    @Test("unread counts, per conversation, per user and in the inbox, equal a recount from the events (withheld messages count once released)", arguments: Self.seeds)
    func unreadRecount(seed: UInt64) {
        let events = RandomHistory.make(seed: seed, count: 700)
        var counts = UnreadCounts()
        var inbox = Inbox()
        var participants: [String: [String]] = [:]
        var messages: [String: [(id: String, sender: String, withheld: Withholding?)]] = [:]
        var readUpTo: [String: [String: Int]] = [:]
        for event in events {
            _ = counts.apply(event)
            _ = inbox.apply(event)
            switch event.event {
            case .conversationStarted(let e) where participants[e.conversationId] == nil:
                participants[e.conversationId] = [e.buyerId, e.vendorId]
            case .messageSent(let e) where participants[e.conversationId] != nil:
                if !messages[e.conversationId, default: []].contains(where: { $0.id == e.messageId }) {
                    messages[e.conversationId, default: []].append((e.messageId, e.senderId, e.withheld))
                }
            case .flagReviewed(let e) where e.decision == .dismiss:
                if let index = messages[e.conversationId, default: []].firstIndex(where: { $0.id == e.messageId && $0.withheld == .held }) {
                    messages[e.conversationId]?[index].withheld = nil
                }
            case .messageRead(let e):
                if let index = messages[e.conversationId, default: []].firstIndex(where: { $0.id == e.upToMessageId }) {
                    readUpTo[e.conversationId, default: [:]][e.readerId] = max(readUpTo[e.conversationId]?[e.readerId] ?? 0, index + 1)
                }
            default: break
            }
        }
        var totals: [String: Int] = [:]
        #expect(participants.count > 10)
        for (conversation, users) in participants {
            for user in users {
                let watermark = readUpTo[conversation]?[user] ?? 0
                let expected = messages[conversation, default: []].dropFirst(watermark).filter { $0.sender != user && $0.withheld == nil }.count
                #expect(counts.unread(user: user, conversation: conversation) == expected)
                #expect(inbox.row(owner: user, conversation: conversation)?.unreadCount == expected)
                totals[user, default: 0] += expected
            }
        }
        for (user, total) in totals { #expect(counts.total(user: user) == total) }
    }

    @Test("a resumable projection applied page by page to only the rows each page touches writes what a full replay writes", arguments: Self.seeds)
    func resumingFromRows(seed: UInt64) {
        let events = RandomHistory.make(seed: seed, count: 700)
        Self.checkResuming(UserStanding.self, events, seed: seed)
        Self.checkResuming(ReviewQueue.self, events, seed: seed)
        Self.checkResuming(MessageSearch.self, events, seed: seed)
        Self.checkResuming(DisputeTimeline.self, events, seed: seed)
        Self.checkResuming(MessageVolume.self, events, seed: seed)
        Self.checkResuming(UnreadCounts.self, events, seed: seed)
        Self.checkResuming(Receipts.self, events, seed: seed)
        Self.checkResuming(Inbox.self, events, seed: seed)
        Self.checkResuming(UserFeed.self, events, seed: seed)
        Self.checkResuming(VendorResponseMetrics.self, events, seed: seed)
    }

    /// Replays `events` whole, and again in random pages each applied to a projection restored
    /// from nothing but the stored rows the page touches (as a resuming projector does after a
    /// restart at any point): both must leave the same rows.
    private static func checkResuming<P: ResumableProjection>(_: P.Type, _ events: [ProjectedEvent], seed: UInt64) {
        var full = P()
        var expected: [P.Change.Key: P.Change] = [:]
        for event in events { for change in full.apply(event) { expected[change.key] = change } }
        var rng = SeededRandom(seed: seed &* 104_729)
        var table: [P.Change.Key: P.Change] = [:]
        var start = 0
        while start < events.count {
            let page = events[start..<min(events.count, start + Int.random(in: 1...60, using: &rng))]
            let selected = P.select(Set(page.flatMap(P.rowSelectors)), from: Array(table.values))
            let selectedKeys = Set(selected.map(\.key))
            let stored = table
            var restored = P(restoring: selected)
            for change in restored.apply(batch: page) {
                // Overwriting a stored row without having read it would lose what the row held.
                #expect(stored[change.key] == nil || selectedKeys.contains(change.key), "\(P.name): a change to a row the page did not select")
                table[change.key] = change
            }
            start = page.endIndex
        }
        #expect(!expected.isEmpty)
        let differing = Set(table.keys).union(expected.keys).filter { table[$0] != expected[$0] }
        #expect(differing.isEmpty, "\(P.name): rows written from restored rows differ at \(differing.count) keys, e.g. \(differing.prefix(3).map { "\($0): restored \(String(describing: table[$0])), replayed \(String(describing: expected[$0]))" })")
    }

    /// Applies `events` one by one and in random batches, and checks both give the same state and
    /// the same tables, and that the snapshot writes exactly those tables.
    private static func check<P: Projection>(_: P.Type, _ events: [ProjectedEvent], seed: UInt64) {
        var single = P()
        var table: [P.Change.Key: P.Change] = [:]
        for event in events {
            for change in single.apply(event) { table[change.key] = change }
        }
        var rng = SeededRandom(seed: seed &* 7919)
        var batched = P()
        var batchedTable: [P.Change.Key: P.Change] = [:]
        var start = 0
        while start < events.count {
            let end = min(events.count, start + Int.random(in: 1...60, using: &rng))
            let changes = batched.apply(batch: events[start..<end])
            #expect(Set(changes.map(\.key)).count == changes.count, "a batch's changes hold each key once")
            for change in changes { batchedTable[change.key] = change }
            start = end
        }
        #expect(single == batched, "\(P.name): state after batches")
        #expect(batchedTable == table, "\(P.name): rows after batches")
        let snapshot = single.snapshot
        #expect(Set(snapshot.map(\.key)).count == snapshot.count, "\(P.name): snapshot keys are unique")
        #expect(Dictionary(uniqueKeysWithValues: snapshot.map { ($0.key, $0) }) == table, "\(P.name): snapshot equals the rows written")
        #expect(!table.isEmpty)
    }
}
