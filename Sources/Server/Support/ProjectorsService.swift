import EventLog
import Logging
import Projections
import ServiceLifecycle

/// Runs every stored projection's projector in the server process (standing by when another
/// process already runs one), until the service group shuts down.
///
/// The inbox's projector runs without the batch delay: live feeds hand on the updates it stores,
/// so its lag is delivery latency.
struct ProjectorsService: Service {
    let log: EventLog
    let configuration: ProjectorConfiguration
    let logger: Logger

    func run() async throws {
        var inbox = self.configuration
        inbox.batchDelay = .zero
        let (log, configuration, undelayed, logger) = (self.log, self.configuration, inbox, self.logger)
        let delayed = StoredProjections.names.filter { $0 != UserFeed.name }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await StoredProjections.run([UserFeed.name], log: log, configuration: undelayed, logger: logger) }
            group.addTask { try await StoredProjections.run(delayed, log: log, configuration: configuration, logger: logger) }
            try await group.waitForAll()
        }
    }
}
