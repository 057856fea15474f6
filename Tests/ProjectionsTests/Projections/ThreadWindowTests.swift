import EventLog
import Testing

@testable import Projections

/// A page restores a thread with just the messages it needs, whatever the conversation's length.
@Suite("Thread windows")
struct ThreadWindowTests {
    private typealias F = Fixture

    /// The stored rows of a conversation of 200 messages from the buyer, the vendor having read
    /// the first 150, and the log that wrote them.
    private static func stored() -> (rows: [Receipts.Change], fixture: Fixture) {
        var fixture = Fixture()
        var receipts = Receipts()
        _ = receipts.apply(fixture.add(F.started("c", buyer: "b", vendor: "v", at: "2026-03-01T09:00:00Z")))
        for index in 0..<200 { _ = receipts.apply(fixture.add(F.sent("c", "m\(index)", by: "b", at: "2026-03-01T09:01:00Z"))) }
        _ = receipts.apply(fixture.add(F.read("c", by: "v", upTo: "m149", at: "2026-03-01T10:00:00Z")))
        return (receipts.snapshot, fixture)
    }

    /// The places of the thread messages `events` select from the stored rows.
    private static func places(for events: [DomainEvent]) -> [Int] {
        var (rows, fixture) = Self.stored()
        let page = events.map { fixture.add($0) }
        return Receipts.select(Set(page.flatMap(Receipts.rowSelectors)), from: rows).compactMap(\.threadMessageRow).map(\.seq).sorted()
    }

    @Test("a send needs no stored message but its own id's, if it is a retry")
    func send() {
        #expect(Self.places(for: [F.sent("c", "m200", by: "v", at: "2026-03-01T11:00:00Z")]).isEmpty)
        #expect(Self.places(for: [F.sent("c", "m5", by: "b", at: "2026-03-01T11:00:00Z")]) == [5])
    }

    @Test("a watermark move needs the messages from the participant's watermark through the message it names")
    func watermark() {
        #expect(Self.places(for: [F.read("c", by: "v", upTo: "m170", at: "2026-03-01T11:00:00Z")]) == Array(150...170))
        // The vendor's delivery watermark is still at the start (a read does not move it).
        #expect(Self.places(for: [F.delivered("c", to: "v", upTo: "m3", at: "2026-03-01T11:00:00Z")]) == Array(0...3))
        // Behind the watermark: the named message only, to find its place.
        #expect(Self.places(for: [F.read("c", by: "v", upTo: "m20", at: "2026-03-01T11:00:00Z")]) == [20])
    }

    @Test("a watermark up to a message the page sends needs every stored message after the watermark; one naming no message needs none")
    func unknownTargets() {
        #expect(
            Self.places(for: [
                F.sent("c", "m200", by: "b", at: "2026-03-01T11:00:00Z"), F.read("c", by: "v", upTo: "m200", at: "2026-03-01T11:01:00Z"),
            ]) == Array(150...199))
        #expect(Self.places(for: [F.read("c", by: "v", upTo: "nope", at: "2026-03-01T11:00:00Z")]).isEmpty)
    }

    @Test("a page applied to the window writes what the whole thread writes")
    func windowAppliesAsWhole() {
        let (rows, fixture) = Self.stored()
        var full = Receipts(restoring: rows)
        var extended = fixture
        let page = [
            F.sent("c", "m200", by: "v", at: "2026-03-01T11:00:00Z"), F.delivered("c", to: "v", upTo: "m180", at: "2026-03-01T11:01:00Z"),
            F.read("c", by: "v", upTo: "m199", at: "2026-03-01T11:02:00Z"), F.read("c", by: "b", upTo: "m200", at: "2026-03-01T11:03:00Z"),
        ].map { extended.add($0) }
        var windowed = Receipts(restoring: Receipts.select(Set(page.flatMap(Receipts.rowSelectors)), from: rows))
        let expected = full.apply(batch: page[...])
        #expect(expected.count > 50)
        #expect(windowed.apply(batch: page[...]) == expected)
    }
}
