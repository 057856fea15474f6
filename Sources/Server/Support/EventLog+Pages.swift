import EventLog

extension EventLog {
    /// Every event of `stream`, in version order, read in pages.
    /// - Throws: ``APIError`` for what the log reports (503 when it cannot be read).
    func readAll(_ stream: StreamName) async throws(APIError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try await self.readPages(of: stream) { page in
            events.append(contentsOf: page)
            return true
        }
        return events
    }

    /// The events of `stream` from `version` on, in version order, handed to `consume` a page of
    /// up to 1,000 at a time until the stream ends or `consume` returns false.
    /// - Throws: ``APIError`` for what the log reports, or what `consume` throws.
    func readPages(
        of stream: StreamName, from version: Int = 1, _ consume: ([RecordedEvent]) throws(APIError) -> Bool
    ) async throws(APIError) {
        let size = 1_000
        var next = version
        while true {
            let page: [RecordedEvent]
            do {
                page = try await self.read(stream: stream, from: next, limit: size)
            } catch {
                throw APIError(error)
            }
            guard try consume(page), page.count == size, let last = page.last else { return }
            next = last.streamVersion + 1
        }
    }
}
