import EventLog
import ParleyTestSupport
import Projections
@testable import Server
import Testing

/// The instance-wide cache of the log's latest events the checks of commands fold, on a real
/// log: what it hands a check is exactly what reading the log would give, from any checkpoint,
/// held or not, and it includes every event committed before the check asked.
@Suite("The recent events the checks of commands fold", .timeLimit(.minutes(3)))
struct RecentEventsTests {
    /// Event `index` of a small history cycling through the kinds the cache holds, and one it does not.
    private static func event(_ index: Int) -> DomainEvent {
        let at = Timestamp(microseconds: 1_780_000_000_000_000 + Int64(index) * 1_000_000)
        let (buyer, vendor) = ("b\(index % 3)", "v\(index % 2)")
        switch index % 6 {
        case 0, 1:
            return .messageSent(MessageSent(
                conversationId: "c\(index % 4)", messageId: "m\(index)", clientMessageId: "k\(index)", senderId: index % 2 == 0 ? buyer : vendor,
                text: "message \(index)", automated: false, occurredAt: at))
        case 2: return .userBlocked(UserBlocked(blockerId: vendor, blockedId: buyer, occurredAt: at))
        case 3: return .userUnblocked(UserUnblocked(blockerId: vendor, blockedId: buyer, occurredAt: at))
        case 4: return .orderStateChanged(OrderStateChanged(orderId: "o\(index % 5)", buyerId: buyer, vendorId: vendor, state: .delivered, occurredAt: at))
        default: return .messageRead(MessageRead(conversationId: "c\(index % 4)", readerId: buyer, upToMessageId: "m\(index - 1)", occurredAt: at))
        }
    }

    private static func append(_ range: Range<Int>, to log: EventLog) async throws {
        for index in range {
            let event = Self.event(index)
            let data = EventData(type: event.typeName, schemaVersion: event.schemaVersion, payload: event.encode(), idempotencyKey: "recent:\(index)")
            try await log.append(AppendRequest(stream: try event.stream(), events: [data]))
        }
    }

    /// What the cache hands a check folding `types` after `position`.
    private static func visited(_ recent: RecentEvents, after position: Int64, types: Set<String>) async throws -> [Int64] {
        var positions: [Int64] = []
        try await recent.forEach(after: position, types: types) { event in positions.append(event.position) }
        return positions
    }

    /// What reading the log gives for the same.
    private static func read(_ log: EventLog, after position: Int64, types: Set<String>) async throws -> [Int64] {
        try await log.read(after: position, types: types, limit: 100_000).map(\.position)
    }

    @Test("from every checkpoint, held or before what is held, a check gets exactly the log's events of its types, appends between checks included")
    func matchesTheLog() async throws {
        try await withEventLog { log, _ in
            try await Self.append(0..<12, to: log)
            // Eight events at most: older checkpoints fall back to reading the log.
            let recent = RecentEvents(log: log, capacity: 8)
            let typeSets: [Set<String>] = [
                [MessageSent.eventType], UserFeed.Dealings.eventTypes, UserStanding.eventTypes, Set(RecentEvents.types),
            ]
            for round in 0..<4 {
                try await Self.append((12 + round * 15)..<(27 + round * 15), to: log)
                let head = try await log.head().position
                for position in stride(from: Int64(0), through: head, by: 1) {
                    for types in typeSets {
                        let visited = try await Self.visited(recent, after: position, types: types)
                        #expect(visited == (try await Self.read(log, after: position, types: types)), "after \(position), \(types.sorted())")
                    }
                }
            }
        }
    }

    @Test("an event committed before a check asks is in what the check gets, though a refresh was already under way")
    func seesWhatWasCommittedBefore() async throws {
        try await withEventLog { log, _ in
            let recent = RecentEvents(log: log)
            _ = try await Self.visited(recent, after: 0, types: [MessageSent.eventType])
            for index in stride(from: 0, to: 60, by: 6) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // A check already asking while the append commits…
                    group.addTask { _ = try await Self.visited(recent, after: 0, types: [MessageSent.eventType]) }
                    try await Self.append(index..<(index + 1), to: log)
                    let head = try await log.head().position
                    // …and one that asks after: it must see the message.
                    let visited = try await Self.visited(recent, after: head - 1, types: [MessageSent.eventType])
                    #expect(visited == [head], "the message at \(head)")
                    try await group.waitForAll()
                }
            }
        }
    }

    @Test("a check's own error propagates and leaves the cache usable")
    func bodyErrorsPropagate() async throws {
        struct Stop: Error {}
        try await withEventLog { log, _ in
            try await Self.append(0..<6, to: log)
            let recent = RecentEvents(log: log)
            _ = try await Self.visited(recent, after: 0, types: [MessageSent.eventType])
            try await Self.append(6..<12, to: log)
            await #expect(throws: Stop.self) {
                try await recent.forEach(after: 0, types: [MessageSent.eventType]) { _ in throw Stop() }
            }
            #expect(try await Self.visited(recent, after: 6, types: [MessageSent.eventType]) == (try await Self.read(log, after: 6, types: [MessageSent.eventType])))
        }
    }
}
