import EventLog
import Projections
import Synchronization

/// The log's latest events of the kinds a command's checks fold into stored state (messages,
/// blocks, orders, listings, standing), read and decoded once for the whole instance.
///
/// A check reads a projection's stored row at its checkpoint and then needs every later event of
/// its kinds up to the log's head (see `Commands.committed`). Read per check, that tail costs a
/// query and the decoding of every event in it, for every send: with projectors a second behind
/// under 1,000 messages/s, each send decoded thousands of events, starving the projectors it
/// waited on. Here one refresh at a time reads what was committed since the last one, and every
/// check that asked while it was pending shares it.
///
/// Memory is bounded: at most `capacity` events are held; a check whose checkpoint lies before
/// what is held (a projector far behind, or the instance just started) reads the log itself.
final class RecentEvents: Sendable {
    /// The event types held: those the checks of commands fold.
    static let types: [String] = Set([
        MessageSent.eventType, UserBlocked.eventType, UserUnblocked.eventType, OrderStateChanged.eventType,
        ListingUpdated.eventType,
    ]).union(UserStanding.eventTypes).sorted()

    /// The most events held by default (about 20 seconds of a busy marketplace's messages).
    static let defaultCapacity = 20_000
    /// Events read per query while refreshing.
    static let pageSize = 1_000

    private let log: EventLog
    private let capacity: Int
    private let state = Mutex(State())

    private struct State {
        /// The held events, in position order, each with its type's index in ``RecentEvents/types``;
        /// `start` is the first one still held.
        var events: [(type: Int, event: ProjectedEvent)] = []
        var start = 0
        /// Every event of ``RecentEvents/types`` after `floor` through `position` is held; nil
        /// until the first refresh.
        var floor: Int64?
        var position: Int64 = 0
        /// The refresh that has not begun reading yet: a check that asks now joins it.
        var pending: Task<Void, any Error>?
        /// The refresh reading now (or the last one).
        var running: Task<Void, any Error>?
    }

    init(log: EventLog, capacity: Int = RecentEvents.defaultCapacity) {
        self.log = log
        self.capacity = capacity
    }

    /// Calls `body` with every event of `types` (a subset of ``types``) after `position` up to the
    /// log's head as committed when this is called, oldest first.
    /// - Throws: ``EventLogError`` when the log cannot be read, or what `body` throws.
    func forEach(after position: Int64, types: Set<String>, _ body: (ProjectedEvent) throws -> Void) async throws {
        let mask = Self.types.indices.reduce(0) { mask, index in types.contains(Self.types[index]) ? mask | 1 << index : mask }
        precondition(mask.nonzeroBitCount == types.count, "RecentEvents holds only the types the checks fold")
        try await self.refreshed()
        let held = try self.state.withLock { state throws -> Bool in
            guard let floor = state.floor, position >= floor else { return false }
            for index in Self.firstIndex(after: position, in: state)..<state.events.count where mask & 1 << state.events[index].type != 0 {
                try body(state.events[index].event)
            }
            return true
        }
        if !held { try await self.read(after: position, types: types, body) }
    }

    /// Waits for a refresh that begins reading after this call: one pending refresh serves every
    /// caller that arrives before it starts.
    private func refreshed() async throws {
        let refresh = self.state.withLock { state in
            if let pending = state.pending { return pending }
            let previous = state.running
            let refresh = Task {
                _ = await previous?.result
                self.state.withLock { state in (state.running, state.pending) = (state.pending, nil) }
                try await self.refresh()
            }
            state.pending = refresh
            return refresh
        }
        try await refresh.value
    }

    /// Reads what was committed since the last refresh (only the head, the first time). Each read
    /// runs under the read deadline and a read given up is never applied, so a refresh stuck on a
    /// dead connection fails in time and the next one starts from where the last applied page ended.
    private func refresh() async throws {
        let log = self.log
        let (floor, position) = self.state.withLock { ($0.floor, $0.position) }
        guard floor != nil else {
            let head = try await withDeadline(Commands.readDeadline, "reading the log head") { try await log.head().position }
            self.state.withLock { state in (state.floor, state.position) = (head, head) }
            return
        }
        var after = position
        while true {
            let from = after
            let page = try await withDeadline(Commands.readDeadline, "reading the log's latest events") {
                try await log.read(after: from, types: Set(Self.types), limit: Self.pageSize)
            }
            let decoded = try page.map { recorded in (type: Self.types.firstIndex(of: recorded.type) ?? 0, event: try ProjectedEvent(recorded)) }
            after = page.last?.position ?? after
            self.state.withLock { state in
                state.events += decoded
                state.position = after
                self.trim(&state)
            }
            if page.count < Self.pageSize { return }
        }
    }

    /// Drops the oldest events beyond the capacity, moving the floor past them.
    private func trim(_ state: inout State) {
        let excess = state.events.count - state.start - self.capacity
        guard excess > 0 else { return }
        state.start += excess
        state.floor = state.events[state.start - 1].event.position
        if state.start > self.capacity {
            state.events.removeFirst(state.start)
            state.start = 0
        }
    }

    /// The index of the first held event after `position`, found by binary search.
    private static func firstIndex(after position: Int64, in state: State) -> Int {
        var (low, high) = (state.start, state.events.count)
        while low < high {
            let middle = (low + high) / 2
            if state.events[middle].event.position <= position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The slow path, for a checkpoint before what is held: the log's events of `types` after
    /// `position`, read in pages.
    private func read(after position: Int64, types: Set<String>, _ body: (ProjectedEvent) throws -> Void) async throws {
        var after = position
        while true {
            let page = try await self.log.read(after: after, types: types, limit: Self.pageSize)
            for recorded in page { try body(try ProjectedEvent(recorded)) }
            guard page.count == Self.pageSize, let last = page.last else { return }
            after = last.position
        }
    }
}
