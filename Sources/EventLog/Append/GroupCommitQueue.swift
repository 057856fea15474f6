/// The group-commit queue as a value-type state machine: appends wait here while a batch is being
/// written, and the writer takes them all (up to a bound) as the next batch, so many concurrent
/// appends share one transaction and one WAL flush.
struct GroupCommitQueue<Waiter> {
    struct Pending {
        var request: AppendRequest
        var waiter: Waiter
    }

    /// What the caller of ``enqueue(_:waiter:)`` must do.
    enum EnqueueAction {
        /// Wake the writer: the queue was idle.
        case wakeWriter
        /// Nothing: the writer is awake and will take the append with its next batch.
        case none
        /// Fail the waiter: the log is closed.
        case fail(Waiter)
    }

    private var pending: [Pending] = []
    private var writerAwake = false
    private var closed = false

    /// Queues an append.
    mutating func enqueue(_ request: AppendRequest, waiter: Waiter) -> EnqueueAction {
        guard !self.closed else { return .fail(waiter) }
        self.pending.append(Pending(request: request, waiter: waiter))
        guard !self.writerAwake else { return .none }
        self.writerAwake = true
        return .wakeWriter
    }

    /// Takes the next batch: queued appends in order until `maxEvents` is reached (at least one).
    /// An empty result means the queue is idle and the next append wakes the writer again.
    mutating func nextBatch(maxEvents: Int) -> [Pending] {
        guard !self.pending.isEmpty else {
            self.writerAwake = false
            return []
        }
        var count = 0
        var taken = 0
        for item in self.pending {
            let events = item.request.eventCount
            if taken > 0, count + events > maxEvents { break }
            count += events
            taken += 1
        }
        let batch = Array(self.pending.prefix(taken))
        self.pending.removeFirst(taken)
        return batch
    }

    /// Takes every queued append's waiter, to be failed, leaving the writer awake (it is busy
    /// waiting for the database and takes what arrives next the same way).
    mutating func takeAll() -> [Waiter] {
        defer { self.pending = [] }
        return self.pending.map(\.waiter)
    }

    /// Closes the queue; returns the waiters still queued, to be failed.
    mutating func close() -> [Waiter] {
        self.closed = true
        defer { self.pending = [] }
        return self.pending.map(\.waiter)
    }
}
