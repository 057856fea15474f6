extension EventLog {
    /// Waits until this database's head reaches `position`, for at most `timeout`, and says whether
    /// it did: what a read that must see a write (at `position`) passes first. On the primary the
    /// head is there as soon as the write is acknowledged; on a hot standby it arrives with
    /// replication, and the wait wakes with the head watcher's poll.
    /// - Throws: ``EventLogError`` `.unavailable` when the head cannot be read (the database is
    ///   down), or a read of it hangs past `timeout` (and a second's grace).
    public func waitForHead(reaching position: Int64, timeout: Duration) async throws(EventLogError) -> Bool {
        let deadline = ContinuousClock.now + timeout
        do {
            return try await withDeadline(timeout + .seconds(1), "waiting for offset \(position)") {
                while true {
                    let generation = self.watcher.generation
                    if try await self.head().position >= position { return true }
                    let left = deadline - ContinuousClock.now
                    guard left > .zero else { return false }
                    await self.watcher.wait(after: generation, timeout: min(left, self.configuration.tailPollInterval))
                }
            }
        } catch let error as EventLogError {
            throw error
        } catch {
            throw EventLogError(.unavailable, "waiting for offset \(position) failed: \(error)")
        }
    }
}
