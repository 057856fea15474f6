import EventLog
import Foundation
import ParleyTestSupport
import Synchronization
import Testing

/// The server against a database that restarts or goes away: each test runs its own PostgreSQL
/// cluster (the shared test cluster must not be restarted under the other tests).
@Suite("the server outlives its database restarting or going away")
struct DatabaseOutageTests {
    /// Runs `body` with a cluster of its own in a temporary folder, stopped and removed afterwards.
    static func withCluster(_ body: (LocalPostgres) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-outage-\(UUID().uuidString)")
        let cluster = LocalPostgres(folder: folder.appendingPathComponent("pg"), port: Int.random(in: 10_000...11_999))
        _ = try cluster.start()
        defer {
            try? cluster.stop(immediately: true)
            try? FileManager.default.removeItem(at: folder)
        }
        try await body(cluster)
    }

    /// Posts `text` with one client message id until it is acknowledged (201, or 200 for a retry
    /// the log already holds), for at most `within`; returns the statuses seen, the last being the ack.
    static func postUntilAcked(_ market: Marketplace, _ text: String, as sender: String, within: Duration) async throws -> [Int] {
        let id = UUID().uuidString
        var statuses: [Int] = []
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            // A post must be answered, never hang: 503 while the database is away.
            let status = try await withDeadline(.seconds(15), "a post") { try await market.post(text, as: sender, clientId: id).status }
            statuses.append(status)
            if status == 200 || status == 201 { return statuses }
            #expect(status == 503, "while the database is away a post is answered 503, got \(status)")
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(text) was not acknowledged within \(within): \(statuses)")
        return statuses
    }

    /// Every message text in the participant's history of the market's conversation.
    static func historyTexts(_ market: Marketplace) async throws -> [String] {
        let history = try await market.http.call(
            "GET", "/v1/conversations/\(market.conversationId)/messages?limit=500", as: .bearer(market.buyer))
        #expect(history.status == 200, "\(history)")
        let items = history["items"] as? [[String: Any]] ?? []
        return items.compactMap { (($0["data"] as? [String: Any])?["text"] as? String) ?? ($0["text"] as? String) }
    }

    /// Polls `/ready` until it answers `status` (for at most `within`); whether it did.
    static func ready(_ server: ServerProcess, is status: Int, within: Duration) async -> Bool {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if let answer = try? await withDeadline(.seconds(5), "/ready", { try await server.http.call("GET", "/ready").status }), answer == status {
                return true
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("PostgreSQL stopped for 30 s: posts get 503 instead of hanging, /ready says 503, writes resume within seconds, shutdown is bounded", .timeLimit(.minutes(3)))
    func stoppedDatabase() async throws {
        try await Self.withCluster { cluster in
            let server = try await ServerProcess(url: cluster.url, arguments: ["--shutdown-timeout", "3"])
            let market = try await Marketplace.open(on: server)
            #expect(try await market.post("before", as: market.buyer).status == 201)
            try cluster.stop()
            let down = ContinuousClock.now
            let refused = try await withDeadline(.seconds(15), "a post") { try await market.post("during", as: market.buyer) }
            #expect(refused.status == 503 && refused.errorCode == "unavailable", "\(refused)")
            #expect(await Self.ready(server, is: 503, within: .seconds(10)), "/ready kept saying ready without a database")
            try await Task.sleep(until: down + .seconds(30))
            #expect(server.child.process.isRunning, "the server exited while the database was down")
            _ = try cluster.start()
            let up = ContinuousClock.now
            let statuses = try await Self.postUntilAcked(market, "after", as: market.vendor, within: .seconds(20))
            #expect(statuses.last == 201)
            #expect(ContinuousClock.now - up < .seconds(10), "writes took \(ContinuousClock.now - up) to resume")
            #expect(await Self.ready(server, is: 200, within: .seconds(15)))
            let texts = try await Self.historyTexts(market)
            #expect(texts == ["before", "after"], "\(texts)")
            // Shutdown without a database finishes within the shutdown timeout (3 s) and its grace.
            try cluster.stop(immediately: true)
            server.child.process.terminate()
            let stopping = ContinuousClock.now
            let exited = try await withDeadline(.seconds(12), "the shutdown") { await server.child.wait() }
            #expect(ContinuousClock.now - stopping < .seconds(8), "shutdown took \(ContinuousClock.now - stopping) (exit \(exited))")
        }
    }

    /// Polls `/ready` until every projection has reached `head` (for at most `within`); the
    /// projections still behind then, with their positions (none when all caught up).
    static func projectionsBehind(_ server: ServerProcess, head: Int, within: Duration) async -> [String: Int] {
        let deadline = ContinuousClock.now + within
        var behind: [String: Int] = ["(no answer from /ready)": 0]
        while ContinuousClock.now < deadline {
            if let answer = try? await withDeadline(.seconds(5), "/ready", { try await server.http.call("GET", "/ready") }),
                let projections = answer["projections"] as? [String: Int], !projections.isEmpty
            {
                behind = projections.filter { $0.value < head }
                if behind.isEmpty { return [:] }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return behind
    }

    @Test(
        "after an immediate PostgreSQL restart under load, writes resume, each acknowledged once, every projection catches up to the log's head, and SIGTERM stops the server cleanly within its bound",
        .timeLimit(.minutes(3)))
    func restartedDatabase() async throws {
        try await Self.withCluster { cluster in
            let server = try await ServerProcess(url: cluster.url, arguments: ["--shutdown-timeout", "3"])
            let market = try await Marketplace.open(on: server)
            #expect(try await market.post("before", as: market.buyer).status == 201)
            // Posts keep coming while the database goes away, so that projectors are mid-transaction
            // when it does (a restart between their transactions is the easy case).
            let acked = Mutex<[String]>([])
            let load = Task {
                var index = 0
                while !Task.isCancelled {
                    index += 1
                    let (text, sender) = ("load \(index)", index % 2 == 0 ? market.buyer : market.vendor)
                    let answer = try? await withDeadline(.seconds(15), "a post") { try await market.post(text, as: sender) }
                    if answer?.status == 201 { acked.withLock { $0.append(text) } }
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            try await Task.sleep(for: .seconds(1))
            try cluster.stop(immediately: true)
            _ = try cluster.start()
            try await Task.sleep(for: .seconds(2))
            load.cancel()
            await load.value
            // Within the projectors' stall timeout (15 s) and a restart's worth: a post may wait for them.
            let statuses = try await Self.postUntilAcked(market, "after", as: market.buyer, within: .seconds(40))
            #expect(statuses.last == 201)
            // Every projector works again, whatever query it was in when the connections died.
            let head = try #require(try await server.http.call("GET", "/ready")["head"] as? Int, "/ready names no head")
            let behind = await Self.projectionsBehind(server, head: head, within: .seconds(30))
            #expect(behind.isEmpty, "projections still behind the log's head (\(head)) 30 s after the restart: \(behind)")
            // Each acknowledged post is in the history once; a post answered 503 may or may not be.
            let texts = try await Self.historyTexts(market)
            let loaded = acked.withLock { $0 }
            #expect(!loaded.isEmpty, "no post was acknowledged around the restart")
            // A post given up on by the load (its answer not awaited) may still commit after "after".
            #expect(texts.first == "before" && texts.contains("after"), "\(texts)")
            #expect(Set(texts).count == texts.count, "a message is in the history twice: \(texts)")
            #expect(Set(loaded).isSubset(of: texts), "acknowledged but not in the history: \(Set(loaded).subtracting(texts))")
            // Bounded by the shutdown timeout (3 s) and the watchdog's grace (2 s), and a clean exit:
            // nothing left waiting on a dead connection holds the shutdown until the watchdog ends it.
            let stopping = ContinuousClock.now
            let status = await server.stop()
            #expect(ContinuousClock.now - stopping < .seconds(6), "shutdown took \(ContinuousClock.now - stopping)")
            #expect(status == 0, "the server exited with \(status): \(server.child.output.suffix(20).joined(separator: "\n"))")
        }
    }
}
