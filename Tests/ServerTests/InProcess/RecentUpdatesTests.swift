import EventLog
import ParleyTestSupport
import Projections
@testable import Server
import Testing

/// The resume window: the recent updates a reconnecting client is caught up from, per user.
@Suite("The resume window")
struct RecentUpdatesTests {
    /// An update of `user` at `position` (the content does not matter to the window).
    private static func update(_ user: String, at position: Int64) throws -> UserUpdate {
        UserUpdate(
            userId: user, position: position, stream: try StreamName("conversation-c1"), streamVersion: Int(position),
            recordedAt: Timestamp(microseconds: position), kind: .messageAdded, event: nil, inbox: [])
    }

    @Test("a client gets exactly its own updates after its offset; a user with none gets none")
    func ownUpdatesAfterOffset() throws {
        var window = RecentUpdates(capacity: 100)
        window.append([try Self.update("b", at: 1), try Self.update("v", at: 1)])
        window.append([try Self.update("v", at: 2)])
        window.append([try Self.update("b", at: 4), try Self.update("v", at: 4)])
        #expect(window.updates(for: "b", after: 0)?.map(\.position) == [1, 4])
        #expect(window.updates(for: "v", after: 1)?.map(\.position) == [2, 4])
        #expect(window.updates(for: "v", after: 4)?.isEmpty == true)
        #expect(window.updates(for: "stranger", after: 0)?.isEmpty == true)
        window.append([])
        #expect(window.updates(for: "v", after: 0)?.count == 3, "an event without updates holds no place")
    }

    @Test("once full, the oldest event goes: offsets before it cannot resume (a snapshot follows), offsets from it on still can")
    func eviction() throws {
        var window = RecentUpdates(capacity: 3, coveringAfter: 10)
        #expect(window.updates(for: "b", after: 9) == nil, "before what the window covers from the start")
        for position in Int64(11)...15 { window.append([try Self.update("b", at: position)]) }
        #expect(window.coveredAfter == 12)
        #expect(window.updates(for: "b", after: 11) == nil)
        #expect(window.updates(for: "b", after: 12)?.map(\.position) == [13, 14, 15])
        #expect(window.updates(for: "b", after: 14)?.map(\.position) == [15])
    }

    @Test("against a plain list of everything, over long random histories (the queues compact as they go)", arguments: [UInt64(1), 2, 3])
    func matchesPlainModel(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let users = ["a", "b", "c", "d", "e"]
        var window = RecentUpdates(capacity: 50)
        var all: [UserUpdate] = []
        var events: [Int64] = []
        var position: Int64 = 0
        for _ in 0..<2_000 {
            position += Int64(rng.next() % 3 + 1)
            let told = users.filter { _ in rng.next() % 3 == 0 }
            let updates = try told.map { try Self.update($0, at: position) }
            window.append(updates)
            if !updates.isEmpty {
                all += updates
                events.append(position)
            }
            if rng.next() % 50 == 0 {
                let covered = events.count > 50 ? events[events.count - 51] : 0
                #expect(window.coveredAfter == covered)
                for user in users {
                    let offset = Int64(rng.next() % UInt64(position + 1))
                    let expected = offset >= covered ? all.filter { $0.userId == user && $0.position > offset }.map(\.position) : nil
                    #expect(window.updates(for: user, after: offset)?.map(\.position) == expected, "\(user) after \(offset)")
                }
            }
        }
    }
}
