import Projections

/// The updates of the last `capacity` events that had any, kept per user so a reconnecting
/// client's missed updates are found by a binary search in its own list, not a scan of the window.
///
/// Every event after ``coveredAfter`` that produced updates is held; an offset older than that
/// cannot be resumed from.
struct RecentUpdates: Sendable {
    /// The events held, oldest first: each position and the users it has updates for.
    private var events = Queue<(position: Int64, users: [String])>()
    private var byUser: [String: Queue<UserUpdate>] = [:]
    /// How many events (with updates) are kept.
    let capacity: Int
    /// Every event after this position is held: a client at this offset or later can resume.
    private(set) var coveredAfter: Int64

    /// An empty window that covers everything after `position`.
    init(capacity: Int, coveringAfter position: Int64 = 0) {
        self.capacity = max(1, capacity)
        self.coveredAfter = position
    }

    /// Adds one event's updates (all for the same position), evicting the oldest event when full.
    mutating func append(_ updates: [UserUpdate]) {
        guard let position = updates.first?.position else { return }
        if self.events.count == self.capacity, let oldest = self.events.popFirst() {
            for user in oldest.users {
                self.byUser[user]?.dropFirst()
                if self.byUser[user]?.isEmpty == true { self.byUser[user] = nil }
            }
            self.coveredAfter = oldest.position
        }
        self.events.append((position, updates.map(\.userId)))
        for update in updates { self.byUser[update.userId, default: Queue()].append(update) }
    }

    /// `user`'s updates after `position`, in order; nil when events after `position` are no longer held.
    func updates(for user: String, after position: Int64) -> [UserUpdate]? {
        guard position >= self.coveredAfter else { return nil }
        guard let updates = self.byUser[user] else { return [] }
        return updates.elements(from: updates.firstIndex(where: { $0.position > position }))
    }
}

/// A first-in first-out queue over an array: appends at the end, removals from the front by
/// moving a start index, compacted once half of the array is dead.
struct Queue<Element: Sendable>: Sendable {
    private var storage: [Element] = []
    private var start = 0

    var count: Int { self.storage.count - self.start }
    var isEmpty: Bool { self.count == 0 }

    mutating func append(_ element: Element) { self.storage.append(element) }

    mutating func popFirst() -> Element? {
        guard self.start < self.storage.count else { return nil }
        let first = self.storage[self.start]
        self.dropFirst()
        return first
    }

    mutating func dropFirst() {
        guard self.start < self.storage.count else { return }
        self.start += 1
        if self.start > 64 && self.start * 2 > self.storage.count {
            self.storage.removeFirst(self.start)
            self.start = 0
        }
    }

    /// The index (from the front, 0-based) of the first element matching `belongs`, assuming
    /// every element after it matches too (a sorted queue); `count` when none does.
    func firstIndex(where belongs: (Element) -> Bool) -> Int {
        var low = self.start
        var high = self.storage.count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self.storage[middle]) { high = middle } else { low = middle + 1 }
        }
        return low - self.start
    }

    /// The elements from index `index` (from the front) on.
    func elements(from index: Int) -> [Element] { Array(self.storage[(self.start + index)...]) }
}
