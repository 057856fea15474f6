public import EventLog
public import Logging

/// Every stored projection, by name: what the server and `parley-replay` run and rebuild.
public enum StoredProjections {
    /// What can be done with one stored projection, without naming its type.
    private struct Entry: Sendable {
        let name: String
        let run: @Sendable (EventLog, ProjectorConfiguration, Logger) async throws -> Void
        let rebuild: @Sendable (EventLog, Logger, @escaping @Sendable (Int64, Int64) -> Void) async throws -> RebuildReport

        init<P: StoredProjection>(_: P.Type) {
            self.name = P.name
            self.run = { log, configuration, logger in
                try await Projector<P>(log: log, configuration: configuration, logger: logger).run()
            }
            self.rebuild = { log, logger, progress in
                try await ProjectionRebuild<P>(log: log, logger: logger, progress: progress).run()
            }
        }
    }

    private static let entries = [
        Entry(UnreadCounts.self), Entry(Inbox.self), Entry(Receipts.self), Entry(VendorResponseMetrics.self),
        Entry(MessageVolume.self), Entry(DisputeTimeline.self), Entry(MessageSearch.self), Entry(ReviewQueue.self),
    ]

    /// The names, in the order they run.
    public static let names = entries.map(\.name)

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
        try await Self.entry(name).rebuild(log, logger, progress)
    }

    private static func entry(_ name: String) throws -> Entry {
        guard let entry = Self.entries.first(where: { $0.name == name }) else {
            throw ProjectorError("unknown projection \"\(name)\"; known: \(Self.names.joined(separator: ", "))")
        }
        return entry
    }
}
