import Logging
import PostgresNIO

/// One stored projection's part in a ``ProjectionRebuild``, without naming its type: the pure
/// projection replayed in memory, and what it writes into its shadow tables.
protocol ShadowBuilding: Sendable {
    /// The projection's name.
    var name: String { get }
    /// Its tables, by their live names.
    var tables: [String] { get }
    /// Applies events in log order to the projection in memory, writing nothing.
    mutating func replay(_ events: [ProjectedEvent])
    /// Bulk-loads every row the projection holds into its empty shadow tables; returns how many.
    func load(on connection: PostgresConnection, logger: Logger) async throws -> Int
    /// Applies events and upserts the rows they change into the shadow tables.
    mutating func catchUp(_ events: [ProjectedEvent], on connection: PostgresConnection, logger: Logger) async throws
}

/// The ``ShadowBuilding`` of the stored projection `P`.
struct ShadowBuild<P: StoredProjection>: ShadowBuilding {
    private var projection = P()
    /// The changes a replay asks for and nobody writes (the snapshot covers them): one buffer, reused.
    private var discarded: [P.Change] = []

    /// Changes per `COPY` of a bulk load (each `COPY` streams its rows in batches of bytes).
    static var changesPerLoad: Int { 50_000 }

    var name: String { P.name }
    var tables: [String] { P.tables }

    mutating func replay(_ events: [ProjectedEvent]) {
        for event in events {
            self.projection.apply(event, into: &self.discarded)
            self.discarded.removeAll(keepingCapacity: true)
        }
    }

    func load(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = self.projection.snapshot
        let tables = TableWriter(suffix: "_shadow", method: .copy, connection: connection, logger: logger)
        for start in stride(from: 0, to: rows.count, by: Self.changesPerLoad) {
            try await P.write(Array(rows[start..<min(rows.count, start + Self.changesPerLoad)]), to: tables)
        }
        return rows.count
    }

    mutating func catchUp(_ events: [ProjectedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        try await P.write(self.projection.apply(batch: events), suffix: "_shadow", on: connection, logger: logger)
    }
}
