import EventLog
import Logging
import Projections
import ServiceLifecycle

/// Runs every stored projection's projector in the server process (standing by when another
/// process already runs one), until the service group shuts down.
struct ProjectorsService: Service {
    let log: EventLog
    let configuration: ProjectorConfiguration
    let logger: Logger

    func run() async throws {
        try await StoredProjections.run(StoredProjections.names, log: self.log, configuration: self.configuration, logger: self.logger)
    }
}
