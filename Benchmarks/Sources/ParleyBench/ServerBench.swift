import ArgumentParser
import EventLog
import Foundation
import JWTKit
import Logging
import NIOCore
import NIOPosix
import Projections
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `parley-bench server`: a release `parley serve` on a fresh database, driven over real sockets
/// by simulated devices in this process: idle sockets (memory), send → ack and send → deliver
/// latency on an open-loop schedule, fan-out of one listing update to every buyer asking about it,
/// reconnects that missed 1,000 events, and a reconnect storm. Percentiles come from HdrHistogram
/// and need 1,000 samples; with fewer a figure is reported as a maximum.
struct ServerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "server", abstract: "WebSocket server: sockets, latency, fan-out, reconnects.")

    @Option(help: "Admin database URL of the benchmark cluster (scripts/bench passes it).") var url: String
    @Option(help: "The parley executable (release).") var parley: String
    @Option(help: "Unused; scripts/bench passes it to every benchmark.") var corpus = ""
    @Option(help: "Idle authenticated sockets to open (each needs a descriptor on both sides).") var sockets = 18_000
    @Option(help: "Connected clients during the latency run (buyer/vendor pairs).") var clients = 10_000
    @Option(help: "Messages per second during the latency run.") var rate = 1_000
    @Option(help: "Seconds of the latency run.") var seconds = 10
    @Option(help: "Buyers asking about one listing whose updates fan out.") var fanoutBuyers = 5_000
    @Option(help: "Listing updates in the fan-out run.") var fanoutUpdates = 20
    @Option(help: "Clients that each miss 1,000 events and reconnect.") var reconnects = 30
    @Option(help: "Events each reconnecting client missed.") var missed = 1_000
    @Option(help: "Clients in the reconnect storm (at most --sockets).") var storm = 18_000
    @Option(help: "Seconds the storm's reconnects are spread over (at most 10: a client counts if it resumed within 10 s of the storm's start).")
    var stormSeconds = 5
    @Option(help: "Port of the server.") var port = 18_080
    @Option(help: "An extra argument for `parley serve` (repeatable), e.g. --server-arg=--projector-batch-delay-ms=0.")
    var serverArg: [String] = []
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    static let secret = "bench-secret-of-at-least-thirty-two-bytes"
    static let platformKey = "bench-platform-key"

    func validate() throws {
        guard (0...10).contains(self.stormSeconds) else { throw ValidationError("--storm-seconds must be 0 to 10") }
        guard self.clients <= self.sockets, self.storm <= self.sockets, self.fanoutBuyers <= self.sockets / 2, self.reconnects <= self.clients / 2 else {
            throw ValidationError("--clients, --storm must be <= --sockets; --fanout-buyers <= sockets/2; --reconnects <= clients/2")
        }
    }

    func run() async throws {
        let pairs = self.sockets / 2
        let admin = try DatabaseURL(self.url)
        let database = "bench_server_\(Int(Date().timeIntervalSince1970))"
        try await EventLogBench.execute(admin, "CREATE DATABASE \(database)", logger: benchLogger)
        let url = admin.withDatabase(database)
        EventLogBench.progress("loading \(pairs) conversations and \(self.fanoutBuyers) about one listing")
        try await Self.load(url: url, pairs: pairs, fanoutBuyers: self.fanoutBuyers)

        let server = try ServerUnderTest(parley: self.parley, url: url, port: self.port, extra: self.serverArg)
        defer { server.stop() }
        try await server.waitUntilReady()
        let baseline = server.rssBytes
        EventLogBench.progress("server ready; RSS \(baseline / 1_048_576) MiB")

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256)
        var pool: [BenchClient] = []
        for index in 0..<pairs {
            for user in ["b-\(index)", "v-\(index)"] {
                let role = user.hasPrefix("b") ? "buyer" : "vendor"
                pool.append(BenchClient(user: user, token: try await keys.sign(BenchClaims(user: user, role: role))))
            }
        }
        let harness = Harness(port: self.port, group: group)
        var report = Report()

        // 1. Idle sockets.
        EventLogBench.progress("opening \(pool.count) sockets")
        let opened = await harness.connect(pool, resume: false)
        try await Task.sleep(for: .seconds(2))
        let rss = server.rssBytes
        let perSocket = Double(rss - baseline) / Double(max(1, opened))
        report.add("sockets", Double(opened), "sockets", "descriptor hard limit here: \(Self.descriptorLimit()) per process")
        report.add("rss_bytes_per_socket", perSocket, "bytes", "server RSS \(rss / 1_048_576) MiB, \(baseline / 1_048_576) MiB before; 100,000 would take \(Int(perSocket * 100_000 / 1_048_576) + baseline / 1_048_576) MiB; target <= 6 GB")
        EventLogBench.progress("\(opened) sockets: \(Int(perSocket)) bytes each")

        // 2. Send → ack and send → deliver latency on an open-loop schedule, with `clients` connected.
        await harness.disconnect(Array(pool[self.clients...]))
        try await Task.sleep(for: .seconds(3))  // let the server finish tearing those connections down
        let delivery = try await harness.deliver(pool: Array(pool[..<self.clients]), rate: self.rate, seconds: self.seconds)
        let counts = delivery.counts
        let load = "\(self.rate) messages/s for \(self.seconds) s, \(self.clients) connected; from each message's scheduled send time"
        report.add(latency: "append", delivery.append.snapshot, "send to ack; \(load); \(counts.errors) error frames")
        report.add("append_lost", Double(delivery.total - counts.acked), "messages", "never acknowledged (within 30 s of the last send)")
        report.add(latency: "deliver", delivery.deliver.snapshot, "send to the vendor's update; \(load); target <= 25")
        report.add("deliver_lost", Double(delivery.total - counts.delivered), "messages", "never delivered (within 30 s of the last send)")

        // 3. Fan-out: listing updates to every buyer asking about the listing, once the server has
        // settled after the latency run (its projectors caught up: /ready).
        try await server.waitUntilReady()
        try await Task.sleep(for: .seconds(3))
        let listeners = pool[..<(2 * self.fanoutBuyers)].filter { $0.user.hasPrefix("b") && $0.snapshotState.connected }.count
        EventLogBench.progress("fan-out: \(listeners) of the \(self.fanoutBuyers) buyers connected")
        let fanout = try await harness.fanout(buyers: self.fanoutBuyers, updates: self.fanoutUpdates)
        report.add(
            "fanout_frames_per_s", fanout.framesPerSecond, "frames/s",
            "\(self.fanoutUpdates) listing updates x \(self.fanoutBuyers) buyers, first update sent to last frame received; target >= 50000")
        report.add("fanout_lost", Double(self.fanoutUpdates * self.fanoutBuyers - fanout.received), "frames", "not received within 60 s")

        // 4. Reconnects after missing `missed` events.
        let reconnect = try await harness.reconnect(pool: pool, count: self.reconnects, missed: self.missed)
        report.add(latency: "reconnect_1000", reconnect.live.snapshot, "connect to live, one at a time; target p99 <= 100")
        report.add("reconnect_1000_resumed", Double(reconnect.resumed), "clients", "of \(self.reconnects), resumed with all \(self.missed) updates")

        // 5. Reconnect storm.
        await harness.connect(Array(pool[self.clients...]), resume: false)
        let storm = try await harness.storm(Array(pool[..<self.storm]), seconds: Double(self.stormSeconds), window: 10)
        let outcome = storm.counts
        report.add("reconnect_storm_attempted", Double(self.storm), "clients", "reconnects due evenly over the first \(self.stormSeconds) s; target 20000")
        report.add(
            "reconnect_storm_resumed_within_10s", Double(outcome.inTime), "clients",
            "live with the update each missed, no snapshot, within 10 s of the first reconnect; \(outcome.late) later, \(outcome.notResumed) not resumed; target: all")
        report.add(latency: "reconnect_storm_live", storm.live.snapshot, "scheduled reconnect to live")
        await harness.disconnect(pool)
        try await group.shutdownGracefully()
        server.stop()
        try? await EventLogBench.execute(admin, "DROP DATABASE \(database) WITH (FORCE)", logger: benchLogger)

        if self.json {
            print(try report.json())
        } else {
            print(report.table(title: "parley-bench server — \(ProcessInfo.processInfo.activeProcessorCount) cores, load generator in the same machine"))
        }
    }

    static func descriptorLimit() -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_max)
    }

    /// The conversations of the run, appended straight to the log before the server starts.
    static func load(url: DatabaseURL, pairs: Int, fanoutBuyers: Int) async throws {
        let log = EventLog(url: url, logger: benchLogger)
        try await log.migrate(with: StoredProjections.migrations())
        let now = Timestamp.now()
        var events: [DomainEvent] = [
            .listingUpdated(ListingUpdated(listingId: "L-F", vendorId: "v-f", title: "Lamp", priceCents: 1_000, occurredAt: now))
        ]
        for index in 0..<pairs {
            events.append(
                .conversationStarted(
                    ConversationStarted(conversationId: "c-\(index)", buyerId: "b-\(index)", vendorId: "v-\(index)", startedBy: "b-\(index)",
                        subject: ConversationSubject(kind: .general), occurredAt: now)))
        }
        for index in 0..<fanoutBuyers {
            events.append(
                .conversationStarted(
                    ConversationStarted(conversationId: "cf-\(index)", buyerId: "b-\(index)", vendorId: "v-f", startedBy: "b-\(index)",
                        subject: ConversationSubject(kind: .listing, listingId: "L-F", title: "Lamp", priceCents: 1_000), occurredAt: now)))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            for start in stride(from: 0, to: events.count, by: 2_000) {
                let streams = try events[start..<min(events.count, start + 2_000)].map { event in
                    AppendRequest.StreamEvents(
                        stream: try event.stream(),
                        events: [EventData(type: event.typeName, schemaVersion: event.schemaVersion, payload: event.encode())])
                }
                try await log.append(AppendRequest(streams))
            }
            group.cancelAll()
        }
    }
}

/// The claims of a bench user token.
struct BenchClaims: JWTPayload {
    var sub: SubjectClaim
    var role: String
    var exp: ExpirationClaim

    init(user: String, role: String) {
        self.sub = SubjectClaim(value: user)
        self.role = role
        self.exp = ExpirationClaim(value: Date().addingTimeInterval(86_400))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The `parley serve` process the benchmark drives.
final class ServerUnderTest: Sendable {
    let process: Process
    let port: Int

    init(parley: String, url: DatabaseURL, port: Int, extra: [String]) throws {
        self.port = port
        let process = Process()
        process.executableURL = URL(fileURLWithPath: parley)
        process.arguments = [
            "serve", "--database-url", url.description, "--host", "0.0.0.0", "--port", "\(port)", "--jwt-secret", ServerBench.secret,
            "--platform-key", ServerBench.platformKey, "--messages-per-second", "100000", "--max-resume-updates", "5000",
            // The load generator's users are seconds old: lift the new-account hourly limit as the rate limit is lifted.
            "--new-account-messages-per-hour", "100000000",
        ] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    func waitUntilReady() async throws {
        for _ in 0..<1_200 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(self.port)/ready")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("the server did not become ready")
    }

    /// The server's resident memory.
    var rssBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(self.process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1_024
    }

    func stop() {
        if self.process.isRunning {
            self.process.terminate()
            self.process.waitUntilExit()
        }
    }
}
