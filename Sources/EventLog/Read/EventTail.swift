extension EventLog {
    /// Every event after `position`, in order, forever: the sequence waits for new commits (woken by
    /// NOTIFY, or on a hot standby by the head watcher's frequent poll of the head, and polling
    /// slowly as a fallback) and ends only when its task is cancelled.
    /// Restart it from the last position you processed to resume with no gap and no repeat.
    public func tail(after position: Int64) -> EventTail {
        EventTail(pages: self.tailPages(after: position))
    }

    /// The same as ``tail(after:)``, a page at a time: each element is a non-empty run of the next
    /// events (at most `pageSize`), yielded as soon as it is committed. For consumers that handle a
    /// page in one transaction, like projectors. `onRead` is called after every read of the log,
    /// those that found nothing new included: a consumer watching for a stall sees the tail alive
    /// while it waits.
    public func tailPages(after position: Int64, pageSize: Int? = nil, onRead: (@Sendable () -> Void)? = nil) -> EventPages {
        EventPages(log: self, after: position, pageSize: pageSize ?? self.configuration.pageSize, onRead: onRead)
    }
}

/// The events after a position, a page at a time, as they are committed. See ``EventLog/tailPages(after:pageSize:)``.
public struct EventPages: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]
    let log: EventLog
    let after: Int64
    let pageSize: Int
    let onRead: (@Sendable () -> Void)?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(log: self.log, cursor: self.after, pageSize: self.pageSize, onRead: self.onRead)
    }

    /// Reads pages after the cursor; waits for the head to move when there are none.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let log: EventLog
        var cursor: Int64
        let pageSize: Int
        let onRead: (@Sendable () -> Void)?

        /// The next non-empty page; nil only when the task is cancelled.
        public mutating func next() async throws -> [RecordedEvent]? {
            while !Task.isCancelled {
                let generation = self.log.watcher.generation
                let page = try await self.log.read(after: self.cursor, limit: self.pageSize)
                self.onRead?()
                if let last = page.last {
                    self.cursor = last.position
                    return page
                }
                await self.log.watcher.wait(after: generation, timeout: self.log.configuration.tailPollInterval)
            }
            return nil
        }
    }
}

/// The events after a position, one by one, as they are committed. See ``EventLog/tail(after:)``.
public struct EventTail: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent
    let pages: EventPages

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pages: self.pages.makeAsyncIterator()) }

    /// Hands out the events of one page after another.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: EventPages.AsyncIterator
        var buffer: [RecordedEvent] = []
        var index = 0

        /// The next event; nil only when the task is cancelled.
        public mutating func next() async throws -> RecordedEvent? {
            if self.index == self.buffer.count {
                guard let page = try await self.pages.next() else { return nil }
                self.buffer = page
                self.index = 0
            }
            defer { self.index += 1 }
            return self.buffer[self.index]
        }
    }
}
