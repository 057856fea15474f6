import Foundation
import Testing

@testable import EventLog

@Suite("Append planning and the group-commit queue (no database)")
struct AppendPlanTests {
    private func prepared(_ stream: String, _ expected: ExpectedVersion = .any, keys: [String?]) throws -> PreparedRequest {
        PreparedRequest(parts: [
            .init(stream: try StreamName(stream), expectedVersion: expected, events: keys.map { key in
                PreparedEvent(
                    typeID: 1, idempotencyKey: key, keyDigest: key.map(GroupCommitWriter.digest),
                    contentDigest: Self.content, stored: [StoredBody.raw, 1, 0, 0, 0, 0] + Array("{}".utf8))
            })
        ])
    }

    private static let content = Array(repeating: UInt8(7), count: 32)
    private let empty = LockedState()

    @Test("positions continue densely from the head; versions from each stream's version")
    func densePlacement() throws {
        var state = self.empty
        state.headPosition = 41
        state.streams = ["conversation-a": .init(id: 5, version: 7)]
        let plan = AppendPlan(
            requests: [try self.prepared("conversation-a", keys: [nil, nil]), try self.prepared("conversation-b", keys: [nil])],
            state: state, recordedAt: Timestamp(microseconds: 0))
        #expect(plan.rows.map(\.position) == [42, 43, 44])
        #expect(plan.rows.map(\.streamVersion) == [8, 9, 1])
        #expect(plan.headPosition == 44)
        #expect(plan.headHash == plan.rows.last?.hash)
        #expect(plan.rows.map(\.streamID) == [5, 5, 0])
        #expect(plan.newStreams.map(\.name) == ["conversation-b"])
        #expect(plan.newStreams.map(\.category) == ["conversation"])
    }

    @Test("a conflicting request fails alone; later requests in the batch see earlier ones' versions")
    func conflictsInBatch() throws {
        let plan = AppendPlan(
            requests: [
                try self.prepared("conversation-a", .noStream, keys: [nil]),
                try self.prepared("conversation-a", .noStream, keys: [nil]),
                try self.prepared("conversation-a", .exactly(1), keys: [nil]),
            ],
            state: self.empty, recordedAt: Timestamp(microseconds: 0))
        #expect(plan.outcomes.map { (try? $0.get())?.events.map(\.position) } == [[1], nil, [2]])
        guard case .failure(let error) = plan.outcomes[1] else { Issue.record("expected a conflict"); return }
        #expect(error.code == .wrongExpectedVersion)
        #expect(error.actualVersion?.version == 1)
    }

    @Test("a key seen earlier in the same batch or already in the log resolves to the original")
    func deduplication() throws {
        var state = self.empty
        state.headPosition = 10
        state.keyedEvents["old"] = .init(position: 3, stream: "conversation-a", streamVersion: 2, typeID: 1)
        let plan = AppendPlan(
            requests: [
                try self.prepared("conversation-a", keys: ["old"]),
                try self.prepared("conversation-a", keys: ["new"]),
                try self.prepared("conversation-a", keys: ["new"]),
                try self.prepared("conversation-b", keys: ["old"]),
                try self.prepared("conversation-a", keys: ["old", "fresh"]),
            ],
            state: state, recordedAt: Timestamp(microseconds: 0))
        let results = plan.outcomes.map { try? $0.get() }
        #expect(results[0]?.deduplicated == true)
        #expect(results[0]?.events.map(\.position) == [3])
        #expect(results[1]?.deduplicated == false)
        #expect(results[2]?.deduplicated == true)
        #expect(results[2]?.events == results[1]?.events)
        if case .failure(let error) = plan.outcomes[3] { #expect(error.code == .idempotencyKeyReused) } else { Issue.record("reuse accepted") }
        if case .failure(let error) = plan.outcomes[4] { #expect(error.code == .duplicateIdempotencyKey) } else { Issue.record("partial accepted") }
        #expect(plan.rows.count == 1)
    }

    @Test("each row's hash chains to the previous row's")
    func chain() throws {
        let plan = AppendPlan(requests: [try self.prepared("conversation-a", keys: [nil, nil, nil])], state: self.empty,
                              recordedAt: Timestamp(microseconds: 1_000))
        var previous = EventHash.genesis
        for row in plan.rows {
            let expected = EventHash.chain(previous: previous, position: row.position, streamVersion: row.streamVersion, content: Self.content)
            #expect(row.hash == expected)
            previous = row.hash
        }
        #expect(Set(plan.rows.map(\.hash)).count == 3)
    }

    @Test("the queue wakes the writer once, batches up to the bound, sleeps when empty, and fails appends after close")
    func queue() throws {
        var queue = GroupCommitQueue<Int>()
        let one = AppendRequest(stream: try StreamName("conversation-a"), events: [EventData(type: "T", payload: [])])
        let three = AppendRequest(stream: try StreamName("conversation-a"), events: Array(repeating: EventData(type: "T", payload: []), count: 3))
        guard case .wakeWriter = queue.enqueue(one, waiter: 1) else { Issue.record("first append must wake"); return }
        guard case .none = queue.enqueue(three, waiter: 2) else { Issue.record("writer is awake"); return }
        _ = queue.enqueue(one, waiter: 3)
        _ = queue.enqueue(three, waiter: 4)
        #expect(queue.nextBatch(maxEvents: 4).map(\.waiter) == [1, 2])
        #expect(queue.nextBatch(maxEvents: 2).map(\.waiter) == [3])
        #expect(queue.nextBatch(maxEvents: 2).map(\.waiter) == [4], "an append larger than the bound still goes alone")
        #expect(queue.nextBatch(maxEvents: 2).isEmpty)
        guard case .wakeWriter = queue.enqueue(one, waiter: 5) else { Issue.record("an idle writer must be woken"); return }
        #expect(queue.close() == [5])
        guard case .fail(6) = queue.enqueue(one, waiter: 6) else { Issue.record("closed queue must refuse"); return }
    }
}

@Suite("Ordered grouping of appends")
struct OrderedGroupingTests {
    @Test("grouping keeps the order, joins consecutive events of a stream, and fills requests up to the bound")
    func preservingOrder() throws {
        let names = ["conversation-a", "conversation-a", "conversation-b", "order-o", "conversation-a", "conversation-b", "conversation-c"]
        let events = try names.enumerated().map { (stream: try StreamName($1), event: EventData(type: "T", payload: Array("\($0)".utf8))) }
        let requests = AppendRequest.preservingOrder(events, maxEvents: 3)
        let flattened = requests.flatMap { request in request.streams.flatMap { part in part.events.map { (part.stream.description, $0.payload) } } }
        #expect(flattened.map(\.0) == names)
        #expect(flattened.map(\.1) == (0..<names.count).map { Array("\($0)".utf8) })
        #expect(requests.map(\.eventCount) == [3, 3, 1])
        #expect(requests[0].streams.map { $0.events.count } == [2, 1], "consecutive events of conversation-a share a part")
        #expect(requests[1].streams.map(\.stream.description) == ["order-o", "conversation-a", "conversation-b"])
    }
}
