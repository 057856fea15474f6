extension EventLog {
    /// Every event after `position`, in order, forever: the sequence waits for new commits (woken by
    /// NOTIFY, polling slowly as a fallback) and ends only when its task is cancelled.
    /// Restart it from the last position you processed to resume with no gap and no repeat.
    public func tail(after position: Int64) -> EventTail {
        EventTail(log: self, after: position)
    }
}

/// The events after a position, as they are committed. See ``EventLog/tail(after:)``.
public struct EventTail: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent
    let log: EventLog
    let after: Int64

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(log: self.log, cursor: self.after) }

    /// Reads pages after the cursor; waits for the head to move when there are none.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let log: EventLog
        var cursor: Int64
        var buffer: [RecordedEvent] = []
        var index = 0

        init(log: EventLog, cursor: Int64) {
            self.log = log
            self.cursor = cursor
        }

        /// The next event; nil only when the task is cancelled.
        public mutating func next() async throws -> RecordedEvent? {
            while self.index == self.buffer.count {
                if Task.isCancelled { return nil }
                let generation = self.log.watcher.generation
                let page = try await self.log.read(after: self.cursor)
                if page.isEmpty {
                    await self.log.watcher.wait(after: generation, timeout: self.log.configuration.tailPollInterval)
                } else {
                    self.buffer = page
                    self.index = 0
                }
            }
            let event = self.buffer[self.index]
            self.index += 1
            self.cursor = event.position
            return event
        }
    }
}
