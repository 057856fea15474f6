public import EventLog
public import Logging
import PostgresNIO

/// Rebuilds a stored projection from the whole log into shadow tables while the live tables keep
/// serving and the log keeps growing, then swaps them in atomically.
///
/// 1. Creates `<table>_shadow` like each live table.
/// 2. Replays the log up to the head into the pure projection and writes its rows in bulk.
/// 3. Catches up page by page until it has reached the head.
/// 4. In one transaction: locks the live tables (waiting for a running projector's transaction,
///    blocking its next one), applies the last events, renames live → `_old` and shadow → live,
///    and moves the checkpoint with a new generation — the live projector's next checkpoint update
///    then fails and it restarts from the new tables. The old tables are dropped afterwards.
public struct ProjectionRebuild<P: StoredProjection>: Sendable {
    private let log: EventLog
    private let logger: Logger
    private let progress: @Sendable (_ position: Int64, _ head: Int64) -> Void

    /// A rebuild of `P` over `log`; `progress` hears the replayed position and the head now and then.
    public init(log: EventLog, logger: Logger, progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }) {
        self.log = log
        self.logger = logger
        self.progress = progress
    }

    /// Runs the rebuild; returns when the new tables are live.
    public func run() async throws -> RebuildReport {
        let client = self.log.client
        for table in P.tables {
            try await client.query("DROP TABLE IF EXISTS \(unescaped: table)_shadow", logger: self.logger)
            try await client.query("CREATE TABLE \(unescaped: table)_shadow (LIKE \(unescaped: table) INCLUDING ALL)", logger: self.logger)
        }
        let head = try await self.log.head().position
        var projection = P()
        var events: Int64 = 0
        for try await batch in self.log.scan(through: head) {
            for recorded in batch {
                if let event = try? ProjectedEvent(recorded) { _ = projection.apply(event) }
            }
            events += Int64(batch.count)
            self.progress(batch.last?.position ?? 0, head)
        }
        let rows = projection.snapshot
        try await client.withConnection { connection in
            for start in stride(from: 0, to: rows.count, by: 5_000) {
                try await P.write(Array(rows[start..<min(rows.count, start + 5_000)]), suffix: "_shadow", on: connection, logger: self.logger)
            }
        }
        var cursor = head
        // Catch up outside the swap, so the swap itself has little left to do.
        while true {
            let page = try await self.log.read(after: cursor, limit: 5_000)
            guard let last = page.last else { break }
            try await client.withConnection { connection in
                try await P.write(projection.apply(batch: page.compactMap { try? ProjectedEvent($0) }), suffix: "_shadow", on: connection, logger: self.logger)
            }
            events += Int64(page.count)
            cursor = last.position
            self.progress(cursor, cursor)
        }
        let position = try await self.swap(projection: &projection, cursor: cursor, events: &events)
        for table in P.tables {
            try await client.query("DROP TABLE IF EXISTS \(unescaped: table)_old", logger: self.logger)
        }
        return RebuildReport(projection: P.name, position: position, events: events, rows: rows.count)
    }

    private func swap(projection: inout P, cursor: Int64, events: inout Int64) async throws -> Int64 {
        var state = (projection: projection, cursor: cursor, events: events)
        state = try await self.log.client.withTransaction(logger: self.logger) { connection in
            var state = state
            for table in P.tables {
                try await connection.query("LOCK TABLE \(unescaped: table) IN ACCESS EXCLUSIVE MODE", logger: self.logger)
            }
            try await connection.query(
                "SELECT 1 FROM parley_projection_checkpoints WHERE projection = \(P.name) FOR UPDATE", logger: self.logger)
            while true {
                let page = try await self.log.read(after: state.cursor, limit: 5_000)
                guard let last = page.last else { break }
                let changes = state.projection.apply(batch: page.compactMap { try? ProjectedEvent($0) })
                try await P.write(changes, suffix: "_shadow", on: connection, logger: self.logger)
                state.events += Int64(page.count)
                state.cursor = last.position
            }
            for table in P.tables {
                try await connection.query("ALTER TABLE \(unescaped: table) RENAME TO \(unescaped: table)_old", logger: self.logger)
                try await connection.query("ALTER TABLE \(unescaped: table)_shadow RENAME TO \(unescaped: table)", logger: self.logger)
            }
            try await connection.query(
                """
                UPDATE parley_projection_checkpoints SET position = \(state.cursor), generation = generation + 1, updated_at = now()
                WHERE projection = \(P.name)
                """, logger: self.logger)
            return state
        }
        projection = state.projection
        events = state.events
        return state.cursor
    }
}

/// What a rebuild did.
public struct RebuildReport: Sendable, Hashable {
    /// The projection rebuilt.
    public var projection: String
    /// The log position the new tables reflect.
    public var position: Int64
    /// Events replayed.
    public var events: Int64
    /// Rows written by the bulk load.
    public var rows: Int
}
