public import EventLog
public import Logging

/// Every stored projection, by name: what the server and `parley-replay project` run.
public enum StoredProjections {
    /// The names, in the order they run.
    public static let names = [UnreadCounts.name, Inbox.name]

    /// Rebuilds the projection `name` into shadow tables and swaps them in (see ``ProjectionRebuild``).
    public static func rebuild(
        _ name: String, log: EventLog, logger: Logger, progress: @escaping @Sendable (Int64, Int64) -> Void
    ) async throws -> RebuildReport {
        switch name {
        case UnreadCounts.name: try await ProjectionRebuild<UnreadCounts>(log: log, logger: logger, progress: progress).run()
        case Inbox.name: try await ProjectionRebuild<Inbox>(log: log, logger: logger, progress: progress).run()
        default: throw ProjectorError("unknown projection \"\(name)\"; known: \(Self.names.joined(separator: ", "))")
        }
    }

    /// Runs the projectors of `names` until cancelled.
    public static func run(_ names: [String], log: EventLog, configuration: ProjectorConfiguration, logger: Logger) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                switch name {
                case UnreadCounts.name:
                    group.addTask { try await Projector<UnreadCounts>(log: log, configuration: configuration, logger: logger).run() }
                case Inbox.name:
                    group.addTask { try await Projector<Inbox>(log: log, configuration: configuration, logger: logger).run() }
                default:
                    throw ProjectorError("unknown projection \"\(name)\"; known: \(Self.names.joined(separator: ", "))")
                }
            }
            try await group.waitForAll()
        }
    }
}
