public import EventLog
public import Logging
import PostgresNIO

/// Rebuilds stored projections from the whole log into shadow tables while the live tables keep
/// serving and the log keeps growing, then swaps each in atomically. Several projections rebuild
/// together from ONE scan of the log, each event decoded once and fed to every one of them.
///
/// 1. Creates `<table>_shadow` like each live table.
/// 2. Scans the log up to the head (libpq binary COPY), replays it into every pure projection,
///    and bulk-loads each one's rows into its shadow tables with `COPY … FROM STDIN`, in batches.
/// 3. Catches up page by page until it has reached the head, upserting into the shadow tables.
/// 4. For each projection, in one transaction: locks the live tables (waiting for a running
///    projector's transaction, blocking its next one), applies the last events, renames live →
///    `_old` and shadow → live, and moves the checkpoint with a new generation — the live
///    projector's next checkpoint update then fails and it restarts from the new tables. The old
///    tables are dropped afterwards.
public struct ProjectionRebuild: Sendable {
    private let log: EventLog
    private let builds: [any ShadowBuilding]
    private let logger: Logger
    private let progress: @Sendable (_ position: Int64, _ head: Int64) -> Void

    /// A rebuild of the projections `builds` make, over `log`; `progress` hears the replayed
    /// position and the head now and then.
    init(
        _ builds: [any ShadowBuilding], log: EventLog, logger: Logger, progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) {
        self.builds = builds
        self.log = log
        self.logger = logger
        self.progress = progress
    }

    /// Runs the rebuild; returns, for each projection in order, when its new tables are live.
    public func run() async throws -> [RebuildReport] {
        let client = self.log.client
        var builds = self.builds
        for build in builds {
            for table in build.tables {
                try await client.query("DROP TABLE IF EXISTS \(unescaped: table)_shadow", logger: self.logger)
                try await client.query("CREATE TABLE \(unescaped: table)_shadow (LIKE \(unescaped: table) INCLUDING ALL)", logger: self.logger)
            }
        }
        let head = try await self.log.head().position
        var events: Int64 = 0
        for try await batch in self.log.scan(through: head, batchSize: 4_096) {
            let decoded = Self.decode(batch)
            for index in builds.indices { builds[index].replay(decoded) }
            events += Int64(batch.count)
            self.progress(batch.last?.position ?? 0, head)
        }
        var rows: [Int] = []
        for index in builds.indices {
            rows.append(try await client.withConnection { connection in
                try await builds[index].load(on: connection, logger: self.logger)
            })
        }
        var cursor = head
        // Catch up outside the swaps, so each swap itself has little left to do.
        while true {
            let page = try await self.log.read(after: cursor, limit: 5_000)
            guard let last = page.last else { break }
            let decoded = Self.decode(page)
            try await client.withConnection { connection in
                for index in builds.indices { try await builds[index].catchUp(decoded, on: connection, logger: self.logger) }
            }
            events += Int64(page.count)
            cursor = last.position
            self.progress(cursor, cursor)
        }
        var reports: [RebuildReport] = []
        for index in builds.indices {
            let (position, tail) = try await self.swap(&builds[index], after: cursor)
            for table in builds[index].tables {
                try await client.query("DROP TABLE IF EXISTS \(unescaped: table)_old", logger: self.logger)
            }
            reports.append(RebuildReport(projection: builds[index].name, position: position, events: events + tail, rows: rows[index]))
        }
        return reports
    }

    /// The events projections know, decoded (other producers' types are skipped, as projectors skip them).
    private static func decode(_ events: [RecordedEvent]) -> [ProjectedEvent] {
        events.compactMap { try? ProjectedEvent($0) }
    }

    /// Swaps one projection's shadow tables in; returns the position they reflect and the events
    /// applied after `cursor`.
    private func swap(_ build: inout any ShadowBuilding, after cursor: Int64) async throws -> (position: Int64, events: Int64) {
        let logger = self.logger
        let log = self.log
        let start = build
        let (done, position, events) = try await self.log.client.withTransaction(logger: logger) { connection in
            var build = start
            var (position, events) = (cursor, Int64(0))
            for table in build.tables {
                try await connection.query("LOCK TABLE \(unescaped: table) IN ACCESS EXCLUSIVE MODE", logger: logger)
            }
            try await connection.query(
                "SELECT 1 FROM parley_projection_checkpoints WHERE projection = \(build.name) FOR UPDATE", logger: logger)
            while true {
                let page = try await log.read(after: position, limit: 5_000)
                guard let last = page.last else { break }
                try await build.catchUp(Self.decode(page), on: connection, logger: logger)
                events += Int64(page.count)
                position = last.position
            }
            for table in build.tables {
                try await connection.query("ALTER TABLE \(unescaped: table) RENAME TO \(unescaped: table)_old", logger: logger)
                try await connection.query("ALTER TABLE \(unescaped: table)_shadow RENAME TO \(unescaped: table)", logger: logger)
            }
            try await connection.query(
                """
                UPDATE parley_projection_checkpoints SET position = \(position), generation = generation + 1, updated_at = now()
                WHERE projection = \(build.name)
                """, logger: logger)
            return (build, position, events)
        }
        build = done
        return (position, events)
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
