public import EventLog
public import Logging
public import PostgresNIO
import Foundation

/// Every stored projection, by name: what the server and `parley-replay` run and rebuild.
public enum StoredProjections {
    /// What can be done with one stored projection, without naming its type.
    private struct Entry: Sendable {
        let name: String
        let run: @Sendable (EventLog, ProjectorConfiguration, Logger) async throws -> Void
        let shadow: @Sendable () -> any ShadowBuilding

        init<P: ResumableProjection>(_: P.Type) {
            self.name = P.name
            self.run = { log, configuration, logger in
                try await Projector<P>(log: log, configuration: configuration, logger: logger).run()
            }
            self.shadow = { ShadowBuild<P>() }
        }
    }

    private static let entries = [
        Entry(UnreadCounts.self), Entry(UserFeed.self), Entry(Receipts.self), Entry(VendorResponseMetrics.self),
        Entry(MessageVolume.self), Entry(DisputeTimeline.self), Entry(MessageSearch.self), Entry(ReviewQueue.self),
        Entry(UserStanding.self),
    ]

    /// The names, in the order they run.
    public static let names = entries.map(\.name)

    /// The migrations of the projections' tables and checkpoints (`schemas/sql/projections`),
    /// which ``EventLog/migrate(with:)`` applies with the log's own.
    public static func migrations() throws(EventLogError) -> [Migrator.Migration] {
        try Migrator.bundled(in: .module)
    }

    /// Runs the projectors of `names` until cancelled.
    public static func run(_ names: [String], log: EventLog, configuration: ProjectorConfiguration, logger: Logger) async throws {
        let chosen = try names.map(Self.entry)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for entry in chosen { group.addTask { try await entry.run(log, configuration, logger) } }
            try await group.waitForAll()
        }
    }

    /// Rebuilds the projection `name` into shadow tables and swaps them in (see ``ProjectionRebuild``).
    public static func rebuild(
        _ name: String, log: EventLog, logger: Logger, progress: @escaping @Sendable (Int64, Int64) -> Void
    ) async throws -> RebuildReport {
        try await Self.rebuild([name], log: log, logger: logger, progress: progress)[0]
    }

    /// Rebuilds the projections `names` (all of them by default) from one scan of the log, each
    /// into its shadow tables, and swaps each in (see ``ProjectionRebuild``); returns a report
    /// per projection, in the order of `names`.
    public static func rebuild(
        _ names: [String] = StoredProjections.names, log: EventLog, logger: Logger, progress: @escaping @Sendable (Int64, Int64) -> Void
    ) async throws -> [RebuildReport] {
        let builds = try names.map { try Self.entry($0).shadow() }
        return try await ProjectionRebuild(builds, log: log, logger: logger, progress: progress).run()
    }

    /// The channel on which the projectors of projections that announce their commits
    /// (``StoredProjection/announcesCommits``) NOTIFY, with the projection's name as the payload.
    public static let commitChannel = "parley_projections"

    /// The log position the stored projection `name`'s tables reflect.
    public static func checkpoint(_ name: String, client: PostgresClient, logger: Logger) async throws -> Int64 {
        try await ProjectionCheckpoint.read(name, client: client, logger: logger).position
    }

    /// Where each stored projection's tables stand: the log position each reflects, by name.
    public static func checkpoints(client: PostgresClient, logger: Logger) async throws -> [String: Int64] {
        var positions: [String: Int64] = [:]
        let rows = try await client.query("SELECT projection, position FROM parley_projection_checkpoints", logger: logger)
        for try await (name, position) in rows.decode((String, Int64).self) { positions[name] = position }
        return positions
    }

    /// Waits (polling every 5 ms, up to `timeout`) until the stored projection `name` reflects
    /// the log up to `position`: what a read of its tables that must see a write passes first.
    /// Returns whether it does.
    public static func wait(
        for name: String, reaching position: Int64, timeout: Duration, client: PostgresClient, logger: Logger
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await ProjectionCheckpoint.read(name, client: client, logger: logger).position >= position { return true }
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func entry(_ name: String) throws -> Entry {
        guard let entry = Self.entries.first(where: { $0.name == name }) else {
            throw ProjectorError("unknown projection \"\(name)\"; known: \(Self.names.joined(separator: ", "))")
        }
        return entry
    }
}
