import EventLog
import Foundation
import ParleyTestSupport
import Synchronization
import Testing

/// Delivery under faults, end to end over real processes: buyers and vendors chat through two
/// server instances while one instance is killed with SIGKILL again and again, PostgreSQL is
/// restarted once (immediate mode) and client sockets are cut at random; clients resend what was
/// not acknowledged with the same client message id. Afterwards every acknowledged message must
/// be in both participants' applied state once and in order, versions without gaps, and every
/// unread count equal to a recount from the history.
///
/// The suite runs a small chat; `scripts/bench chaos` runs a bigger one through the same test
/// (`PARLEY_CHAOS_SCALE=full`) and writes the figures as JSON to `PARLEY_BENCH_REPORT`.
@Suite("chaos: kill -9 of an instance, a database restart and cut sockets")
struct ChaosTests {
    /// The figures of a run, as `scripts/bench chaos --json` prints them.
    struct Report: Codable {
        var conversations = 0
        var acked = 0
        var lost = 0
        var duplicated = 0
        var reordered = 0
        var version_gaps = 0
        var repeated_updates = 0
        var unread_mismatches = 0
        var snapshots = 0
        var kills = 0
        var pg_restarts = 0
        var connections = 0
        var refused_frames = 0
        var instance_exits = 0
        /// Restarts of the killed instance that failed (each is retried at the next round).
        var failed_starts = 0
        var seconds = 0.0
    }

    /// The instances a run keeps up: slot 0 stays, slot 1 is killed and replaced.
    final class Instances: Sendable {
        private let servers = Mutex<[Int: ServerProcess]>([:])

        var ports: [Int] { self.servers.withLock { $0.values.map(\.port) } }
        subscript(slot: Int) -> ServerProcess? { self.servers.withLock { $0[slot] } }

        func set(_ slot: Int, _ server: ServerProcess?) { self.servers.withLock { $0[slot] = server } }
    }

    @Test("every acknowledged message reaches both participants once, in order, with no version gap, and unread counts match a recount", .timeLimit(.minutes(6)))
    func chaos() async throws {
        let full = ProcessInfo.processInfo.environment["PARLEY_CHAOS_SCALE"] == "full"
        try await DatabaseOutageTests.withCluster { cluster in
            let report = try await Self.run(
                cluster: cluster, conversations: full ? 20 : 4, messagesPerUser: full ? 60 : 12, kills: full ? 8 : 2)
            if let path = ProcessInfo.processInfo.environment["PARLEY_BENCH_REPORT"] {
                try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: path))
            }
            #expect(report.acked == report.conversations * 2 * (full ? 60 : 12), "every message was acknowledged in the end: \(report)")
            #expect(report.kills >= 1 && report.pg_restarts == 1, "\(report)")
            #expect(report.lost == 0, "\(report)")
            #expect(report.duplicated == 0, "\(report)")
            #expect(report.reordered == 0, "\(report)")
            #expect(report.version_gaps == 0, "\(report)")
            #expect(report.repeated_updates == 0, "\(report)")
            #expect(report.unread_mismatches == 0, "\(report)")
            #expect(report.snapshots == 0, "a resume never needed a snapshot: \(report)")
            #expect(report.instance_exits == 0, "the instance that was never killed kept running: \(report)")
            #expect(report.failed_starts == 0, "every restart of the killed instance came up: \(report)")
        }
    }

    static func run(cluster: LocalPostgres, conversations: Int, messagesPerUser: Int, kills: Int) async throws -> Report {
        let started = ContinuousClock.now
        let url = try cluster.start()
        let instances = Instances()
        instances.set(0, try await ServerProcess(url: url, arguments: ["--shutdown-timeout", "3"]))
        instances.set(1, try await ServerProcess(url: url, arguments: ["--shutdown-timeout", "3"]))
        let http = try #require(instances[0]).http
        var clients: [ChaosClient] = []
        var pairs: [(conversation: String, buyer: ChaosClient, vendor: ChaosClient)] = []
        for index in 0..<conversations {
            let tag = "\(index)-\(UUID().uuidString.prefix(6))"
            let (buyer, vendor) = ("chaos-buyer-\(tag)", "chaos-vendor-\(tag)")
            let buyerToken = try await Tokens.user(buyer, "buyer")
            let answer = try await http.call(
                "POST", "/v1/conversations", as: .bearer(buyerToken), body: #"{"vendorId":"\#(vendor)","subject":{"kind":"general"}}"#)
            guard answer.status == 201, let id = answer["conversationId"] as? String else { throw TestSetupError("start: \(answer)") }
            let pair = (
                id, ChaosClient(user: buyer, token: buyerToken, conversationId: id, count: messagesPerUser, pace: 400...1_400),
                ChaosClient(user: vendor, token: try await Tokens.user(vendor, "vendor"), conversationId: id, count: messagesPerUser, pace: 400...1_400))
            pairs.append(pair)
            clients += [pair.1, pair.2]
        }
        var report = Report()
        report.conversations = conversations
        let progress: @Sendable (String) -> Void = { note in
            FileHandle.standardError.write(Data("chaos +\(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s: \(note)\n".utf8))
        }
        let stop = Mutex(false)
        let done: @Sendable () -> Bool = { stop.withLock { $0 } }
        let deadline = ContinuousClock.now + .seconds(150)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients {
                group.addTask { await client.run(ports: { instances.ports }, cutAfter: 300...2_500, stop: done) }
            }
            // The faults: instance 1 killed and replaced every few seconds, the database restarted once.
            var restarted = false
            while !clients.allSatisfy(\.isDone) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1_500...3_000)))
                if report.kills < kills, let victim = instances[1] {
                    victim.child.kill()
                    _ = await victim.child.wait()
                    instances.set(1, nil)
                    report.kills += 1
                    progress("killed instance 1 (\(report.kills))")
                }
                if !restarted && report.kills >= 1 {
                    try cluster.stop(immediately: true)
                    try await Task.sleep(for: .milliseconds(500))
                    _ = try cluster.start()
                    restarted = true
                    report.pg_restarts += 1
                    progress("restarted PostgreSQL")
                }
                if instances[1] == nil {
                    do {
                        instances.set(1, try await ServerProcess(url: url, arguments: ["--shutdown-timeout", "3"]))
                    } catch {
                        report.failed_starts += 1
                        progress("instance 1 did not start: \(error)")
                    }
                }
            }
            progress("\(clients.filter(\.isDone).count) of \(clients.count) clients done; stopping")
            stop.withLock { $0 = true }
            try await group.waitForAll()
        }
        progress("clients stopped")
        guard let survivor = instances[0], survivor.child.process.isRunning else {
            report.instance_exits += 1
            return report
        }
        // Each client catches up, from its offset, to what is committed now: sessions again until
        // it has applied up to the head (a loaded machine may need more than one), for a bounded time.
        // These sessions only receive: a resend of a message still unacknowledged would land after
        // the head read here, and the check below would count it lost.
        let head = try #require(try await survivor.http.call("GET", "/ready")["head"] as? Int, "/ready names no head")
        for client in clients {
            let catchingUp = ContinuousClock.now + .seconds(30)
            repeat {
                await client.session(port: survivor.port, for: .seconds(1), sending: false)
            } while (client.snapshot.offset ?? 0) < head && ContinuousClock.now < catchingUp
        }
        progress("clients caught up to \(head)")
        report.seconds = (ContinuousClock.now - started).seconds
        for (conversation, buyer, vendor) in pairs {
            try await Self.check(conversation, buyer, vendor, on: survivor, into: &report)
        }
        for client in clients {
            let state = client.snapshot
            report.acked += state.acked.count
            report.version_gaps += state.gaps
            report.repeated_updates += state.repeats
            report.snapshots += state.snapshots
            report.connections += state.connections
            report.refused_frames += state.refused
        }
        if survivor.child.process.isRunning { _ = await survivor.stop() } else { report.instance_exits += 1 }
        if let other = instances[1] { _ = await other.stop() }
        return report
    }

    /// Checks one conversation: the log's history against what each participant acknowledged
    /// and applied, and each participant's unread count against a recount from the history.
    static func check(
        _ conversation: String, _ buyer: ChaosClient, _ vendor: ChaosClient, on server: ServerProcess, into report: inout Report
    ) async throws {
        let history = try await server.http.call(
            "GET", "/v1/conversations/\(conversation)/messages?limit=500", as: .bearer(buyer.token))
        guard history.status == 200, let items = history["items"] as? [[String: Any]] else { throw TestSetupError("history: \(history)") }
        var logged: [(id: String, client: String, sender: String)] = []
        var readUpTo: [String: String] = [:]
        for item in items {
            let data = item["data"] as? [String: Any] ?? [:]
            switch item["kind"] as? String {
            case "message.added":
                if let id = data["messageId"] as? String, let client = data["clientMessageId"] as? String, let sender = data["senderId"] as? String {
                    logged.append((id, client, sender))
                }
            case "receipt.read":
                if let reader = data["readerId"] as? String, let upTo = data["upToMessageId"] as? String { readUpTo[reader] = upTo }
            default:
                break
            }
        }
        // Each client message id is in the log once (idempotent sends), as the message it was acknowledged with.
        report.duplicated += logged.count - Set(logged.map(\.client)).count
        let loggedIds = logged.map(\.id)
        for participant in [buyer, vendor] {
            let state = participant.snapshot
            let applied = state.messages[conversation] ?? []
            report.duplicated += applied.count - Set(applied).count
            for (client, id) in state.acked where !loggedIds.contains(id) || logged.first(where: { $0.client == client })?.id != id {
                report.lost += 1
            }
            // Both participants applied every acknowledged message of the conversation, in log order.
            let acked = Set(buyer.snapshot.acked.values).union(vendor.snapshot.acked.values)
            let missing = acked.subtracting(applied)
            report.lost += missing.count
            if !missing.isEmpty {
                // What a failure needs to be understood: where the missing messages are in the log, and where the client stands.
                let positions = items.compactMap { item -> String? in
                    guard let id = (item["data"] as? [String: Any])?["messageId"] as? String, missing.contains(id) else { return nil }
                    return "\(id)@\(item["offset"] ?? "?")"
                }
                FileHandle.standardError.write(Data(
                    "chaos: \(participant.user) lacks \(positions) of \(conversation); its offset \(state.offset ?? -1), applied \(applied.count)\n".utf8))
            }
            if applied.filter(acked.contains) != loggedIds.filter(acked.contains) { report.reordered += 1 }
            // The unread count equals the counterpart's messages after the participant's read watermark.
            let watermark = readUpTo[participant.user].flatMap { upTo in logged.firstIndex { $0.id == upTo } } ?? -1
            let expected = logged.enumerated().filter { $0.offset > watermark && $0.element.sender != participant.user }.count
            let unread = try await server.http.call(
                "GET", "/v1/inbox?limit=200&after=\(state.offset ?? 0)", as: .bearer(participant.token))
            let row = (unread["items"] as? [[String: Any]])?.first { $0["conversationId"] as? String == conversation }
            if row?["unreadCount"] as? Int != expected { report.unread_mismatches += 1 }
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18 }
}
