import EventLog
import Logging
import PostgresNIO
import Projections

// What commands are checked against, as committed now: the stored feed's rows (the inbox's
// projector keeps conversations, listings, orders and blocks) with the log's events after its
// checkpoint folded in. So a block made through any instance a moment ago holds at once, and a
// send never waits for the projector.
extension Commands {
    /// Runs a read of the stored projections under the read deadline.
    /// - Throws: ``APIError`` 503 when it fails or does not finish in time.
    func stored<T: Sendable>(_ what: String, _ read: @escaping @Sendable (PostgresClient, Logger) async throws -> T) async throws(APIError) -> T {
        let log = self.log
        do {
            return try await withDeadline(Self.readDeadline, what) { try await read(log.client, log.logger) }
        } catch let error as EventLogError {
            throw APIError(error)
        } catch {
            throw APIError.unavailable("\(what) failed: \(error)")
        }
    }

    /// Reads a fact from the stored feed and brings it up to the log's head: the feed's checkpoint
    /// first, then the stored value (which reflects at least that checkpoint), then every later
    /// event of `types` folded in, in log order.
    /// - Throws: ``APIError`` 503 when the reads fail or do not finish in time.
    private func committed<T: Sendable>(
        _ what: String, types: Set<String>, stored read: @escaping @Sendable (PostgresClient, Logger) async throws -> T,
        folding fold: @escaping @Sendable (inout T, DomainEvent) -> Void
    ) async throws(APIError) -> T {
        let recent = self.recent
        return try await self.stored(what) { client, logger in
            let checkpoint = try await StoredProjections.checkpoint(UserFeed.name, client: client, logger: logger)
            var value = try await read(client, logger)
            try await recent.forEach(after: checkpoint, types: types) { later in fold(&value, later.event) }
            return value
        }
    }

    /// The blocks both ways and the orders between `buyer` and `vendor` now: one statement for
    /// the stored state and its checkpoint, then the later events folded in.
    /// - Throws: ``APIError`` 503 when the reads fail or do not finish in time.
    func dealings(buyer: String, vendor: String) async throws(APIError) -> UserFeed.Dealings {
        let recent = self.recent
        return try await self.stored("reading the dealings between \(buyer) and \(vendor)") { client, logger in
            var (dealings, checkpoint) = try await UserFeed.dealings(buyer: buyer, vendor: vendor, client: client, logger: logger)
            try await recent.forEach(after: checkpoint, types: UserFeed.Dealings.eventTypes) { later in dealings.advance(with: later.event) }
            return dealings
        }
    }

    /// A listing's latest details now, if the platform told them.
    func listing(_ id: String) async throws(APIError) -> ListingUpdated? {
        try await self.committed(
            "reading listing \(id)", types: [ListingUpdated.eventType],
            stored: { client, logger in try await UserFeed.listing(id, client: client, logger: logger) },
            folding: { listing, event in if case .listingUpdated(let updated) = event, updated.listingId == id { listing = updated } })
    }

    /// An order's latest state change now, if the platform told one.
    func order(_ id: String) async throws(APIError) -> OrderStateChanged? {
        try await self.committed(
            "reading order \(id)", types: [OrderStateChanged.eventType],
            stored: { client, logger in try await UserFeed.order(id, client: client, logger: logger) },
            folding: { order, event in if case .orderStateChanged(let change) = event, change.orderId == id { order = change } })
    }
}
