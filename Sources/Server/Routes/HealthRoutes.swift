import EventLog
import Hummingbird
import Logging
import Projections

/// `/health` (the process answers) and `/ready` (the database answers within 2 s, appends are being
/// written, and every projection and the live feed are within `readyLag` events of the log's head;
/// with a read replica, it answers too and its log is within `readyLag` events of the primary's).
struct HealthRoutes {
    let log: EventLog
    /// The log reads are served from: `log` itself, or a hot standby's.
    let reads: EventLog
    let feed: LiveFeed
    let readyLag: Int64

    /// What `/ready` reports.
    struct Readiness: ResponseEncodable {
        var status: String
        var head: Int64?
        var projections: [String: Int64]
        var feed: Int64?
        /// The read replica's head, when reads go to one.
        var replica: Int64?
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
            let replica = try await self.replicaHead()
            let feed = await self.feed.position
            var positions = projections.merging(["live feed": feed]) { $1 }
            if let replica { positions["read replica"] = replica }
            let behind = positions.filter { head - $0.value > self.readyLag }.keys.sorted()
            return Readiness(
                status: behind.isEmpty ? "ready" : "catching_up", head: head, projections: projections, feed: feed, replica: replica,
                problem: behind.isEmpty ? nil : "more than \(self.readyLag) events behind: \(behind.joined(separator: ", "))")
        } catch {
            return Readiness(status: "unavailable", head: nil, projections: [:], feed: nil, problem: "the database does not answer: \(error)")
        }
    }

    /// The read replica's head, or nil when reads go to the primary.
    /// - Throws: when the replica does not answer within ``databaseTimeout``.
    private func replicaHead() async throws -> Int64? {
        guard self.reads !== self.log else { return nil }
        do {
            return try await withDeadline(Self.databaseTimeout, "the read replica's readiness check") { try await self.reads.head().position }
        } catch {
            throw EventLogError(.unavailable, "the read replica (\(self.reads.url.host):\(self.reads.url.port)): \(error)")
        }
    }
}
