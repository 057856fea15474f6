import EventLog
import Hummingbird
import Logging
import Projections

/// `/health` (the process answers) and `/ready` (the database answers within 2 s, appends are being
/// written, and every projection and the live feed are within `readyLag` events of the log's head).
struct HealthRoutes {
    let log: EventLog
    let feed: LiveFeed
    let readyLag: Int64

    /// What `/ready` reports.
    struct Readiness: ResponseEncodable {
        var status: String
        var head: Int64?
        var projections: [String: Int64]
        var feed: Int64?
        var problem: String?
    }

    func add(to router: Router<ParleyContext>) {
        router.get("health") { _, _ in ["status": "ok"] }
        router.get("ready") { _, context -> EditedResponse<Readiness> in
            let readiness = await self.readiness(logger: context.logger)
            return EditedResponse(status: readiness.status == "ready" ? .ok : .serviceUnavailable, response: readiness)
        }
    }

    /// How long `/ready` waits for the database before it says unavailable.
    static let databaseTimeout: Duration = .seconds(2)

    private func readiness(logger: Logger) async -> Readiness {
        if let problem = self.log.writeProblem {
            return Readiness(status: "unavailable", head: nil, projections: [:], feed: nil, problem: "appends cannot be written: \(problem)")
        }
        do {
            let (head, projections) = try await withDeadline(Self.databaseTimeout, "the readiness check") {
                let head = try await self.log.head().position
                return (head, try await StoredProjections.checkpoints(client: self.log.client, logger: logger))
            }
            let feed = await self.feed.position
            let behind = projections.merging(["live feed": feed]) { $1 }.filter { head - $0.value > self.readyLag }.keys.sorted()
            return Readiness(
                status: behind.isEmpty ? "ready" : "catching_up", head: head, projections: projections, feed: feed,
                problem: behind.isEmpty ? nil : "more than \(self.readyLag) events behind: \(behind.joined(separator: ", "))")
        } catch {
            return Readiness(status: "unavailable", head: nil, projections: [:], feed: nil, problem: "the database does not answer: \(error)")
        }
    }
}
