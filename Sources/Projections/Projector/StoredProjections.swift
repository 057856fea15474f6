public import EventLog
public import Logging

/// Every stored projection, by name: what the server and `parley-replay project` run.
public enum StoredProjections {
    /// The names, in the order they run.
    public static let names = [UnreadCounts.name, Inbox.name]

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
