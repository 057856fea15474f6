import Foundation
import NIOCore
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Drives the simulated devices through the phases of `parley-bench server`. Every client's
/// frames come to ``received(_:by:)``, which counts what the running phase measures.
final class Harness: BenchClient.Sink {
    let port: Int
    let group: any EventLoopGroup
    private let phase = Mutex(Phase.idle)

    /// What the running phase counts in the frames clients receive.
    private enum Phase: Sendable {
        case idle
        case deliver(Samples)
        case fanout(Locked<(received: Int, last: Double)>)
        case reconnect(Locked<Int>)
    }
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])

    init(port: Int, group: any EventLoopGroup) {
        self.port = port
        self.group = group
    }

    /// Loopback addresses spread the sockets over more (source, destination) pairs than one address has ports.
    private func host(_ index: Int) -> String { "127.0.0.\(1 + index % 4)" }

    func received(_ frame: String, by client: BenchClient) {
        switch self.phase.withLock({ $0 }) {
        case .idle:
            return
        case .deliver(let samples):
            guard client.user.hasPrefix("v"), frame.hasPrefix(#"{"type":"update""#), frame.contains(#""kind":"message.added""#),
                let sent = Scan.integer(after: #""clientMessageId":"d"#, in: frame)
            else { return }
            samples.add(Double(wallMicros() - sent) / 1_000)
        case .fanout(let tally):
            guard client.user.hasPrefix("b"), frame.contains(#""kind":"inbox.changed""#) else { return }
            tally.withLock { $0 = ($0.received + 1, now()) }
        case .reconnect(let acks):
            if frame.hasPrefix(#"{"type":"ack""#) { acks.withLock { $0 += 1 } }
        }
    }

    /// Connects `clients` (200 handshakes at a time), each until `live`; returns how many got there.
    @discardableResult
    func connect(_ clients: [BenchClient], resume: Bool) async -> Int {
        await Self.forEach(clients, concurrency: 200) { index, client in await self.connect(client, index: index, resume: resume) }
        return clients.filter { $0.snapshotState.live }.count
    }

    /// Runs `body` for every element, `concurrency` at a time, with a fixed set of workers (a task
    /// per element would keep thousands of finished child tasks alive until the group ends).
    static func forEach<Element: Sendable>(
        _ elements: [Element], concurrency: Int, _ body: @escaping @Sendable (Int, Element) async -> Void
    ) async {
        let next = Counter(0)
        await withDiscardingTaskGroup { group in
            for _ in 0..<min(concurrency, elements.count) {
                group.addTask {
                    while true {
                        let index = next.next()
                        guard index < elements.count else { return }
                        await body(index, elements[index])
                    }
                }
            }
        }
    }

    private func connect(_ client: BenchClient, index: Int, resume: Bool) async {
        let task = await client.connect(host: self.host(index), port: self.port, resume: resume, group: self.group, sink: self)
        self.tasks.withLock { $0[client.user] = task }
    }

    /// Closes `clients` and waits until their sockets are gone.
    func disconnect(_ clients: [BenchClient]) async {
        await Self.forEach(clients, concurrency: 500) { _, client in
            await client.close()
            await self.tasks.withLock { $0.removeValue(forKey: client.user) }?.value
        }
    }

    /// Buyers send `rate` messages a second for `seconds`; each vendor's receive time minus the
    /// send time (carried in the client message id) is the latency.
    func deliver(pool: [BenchClient], rate: Int, seconds: Int) async throws -> (p50: Double, p99: Double, lost: Int) {
        let samples = Samples()
        self.phase.withLock { $0 = .deliver(samples) }
        let buyers = pool.filter { $0.user.hasPrefix("b") }
        let total = rate * seconds
        EventLogBench.progress("latency: \(total) messages at \(rate)/s among \(buyers.count) buyers, \(pool.count) connected")
        let start = ContinuousClock.now
        await withDiscardingTaskGroup { group in
            for index in 0..<total {
                try? await Task.sleep(until: start + .microseconds(Int64(index) * 1_000_000 / Int64(rate)))
                let buyer = buyers[Int.random(in: 0..<buyers.count)]
                let pair = buyer.user.dropFirst(2)
                let frame = #"{"type":"send","conversationId":"c-\#(pair)","clientMessageId":"d\#(wallMicros())-\#(index)","text":"Is this still available? I could pick it up today."}"#
                group.addTask { await buyer.send(frame) }
            }
        }
        try await Task.sleep(for: .seconds(2))
        self.phase.withLock { $0 = .idle }
        let all = Percentiles(samples.all)
        return (all.at(50), all.at(99), total - samples.all.count)
    }

    /// The platform updates one listing `updates` times; every buyer asking about it gets an
    /// inbox change each time. Frames delivered per second, first update to last frame.
    func fanout(buyers: Int, updates: Int) async throws -> Double {
        let tally = Locked((received: 0, last: 0.0))
        self.phase.withLock { $0 = .fanout(tally) }
        EventLogBench.progress("fan-out: \(updates) listing updates to \(buyers) buyers")
        let start = now()
        for index in 0..<updates {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(self.port)/v1/platform/listings/L-F")!)
            request.httpMethod = "PUT"
            request.setValue(ServerBench.platformKey, forHTTPHeaderField: "X-Parley-Platform-Key")
            request.httpBody = Data(#"{"vendorId":"v-f","title":"Lamp","priceCents":\#(1_001 + index)}"#.utf8)
            _ = try await URLSession.shared.data(for: request)
        }
        let expected = updates * buyers
        let deadline = now() + 60
        while tally.withLock({ $0.received }) < expected && now() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        self.phase.withLock { $0 = .idle }
        let (count, last) = tally.withLock { $0 }
        if count < expected { EventLogBench.progress("fan-out: only \(count) of \(expected) frames arrived") }
        return Double(count) / max(1e-6, last - start)
    }

    /// One at a time, a vendor disconnects, its buyer sends `missed` messages, and the vendor
    /// reconnects with its offset: connect-to-live times, and how many resumed with every update.
    func reconnect(pool: [BenchClient], count: Int, missed: Int) async throws -> (p99: Double, resumed: Int) {
        let acks = Locked(0)
        self.phase.withLock { $0 = .reconnect(acks) }
        let times = Samples()
        var resumed = 0
        EventLogBench.progress("reconnects: \(count) vendors each missing \(missed) events")
        for pair in 0..<count {
            guard let buyer = pool.first(where: { $0.user == "b-\(pair)" }), let vendor = pool.first(where: { $0.user == "v-\(pair)" }) else { continue }
            await self.disconnect([vendor])
            acks.withLock { $0 = 0 }
            for index in 0..<missed {
                await buyer.send(#"{"type":"send","conversationId":"c-\#(pair)","clientMessageId":"r\#(pair)-\#(index)","text":"Are you there? Message \#(index)"}"#)
            }
            let deadline = now() + 60
            while acks.withLock({ $0 }) < missed && now() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            let start = now()
            await self.connect([vendor], resume: true)
            times.add((now() - start) * 1_000)
            let state = vendor.snapshotState
            if state.live && !state.snapshot && state.updates == missed { resumed += 1 }
        }
        self.phase.withLock { $0 = .idle }
        return (Percentiles(times.all).at(99), resumed)
    }

    /// Every client disconnects, messages arrive meanwhile, and all reconnect with their offsets
    /// spread over `seconds`: how many resumed without a reset, and the p99 connect-to-live time.
    func storm(_ clients: [BenchClient], seconds: Int) async throws -> (resumed: Int, p99: Double) {
        EventLogBench.progress("storm: \(clients.count) clients disconnect")
        await self.disconnect(clients)
        let buyers = clients.filter { $0.user.hasPrefix("b") }
        for index in 0..<min(500, buyers.count) {
            let pair = buyers[index].user.dropFirst(2)
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(self.port)/v1/conversations/c-\(pair)/messages")!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(buyers[index].token)", forHTTPHeaderField: "Authorization")
            request.httpBody = Data(#"{"clientMessageId":"storm-\#(index)","text":"while you were away"}"#.utf8)
            _ = try await URLSession.shared.data(for: request)
        }
        EventLogBench.progress("storm: \(clients.count) clients reconnect over \(seconds) s")
        let times = Samples()
        await withDiscardingTaskGroup { group in
            let start = ContinuousClock.now
            for (index, client) in clients.enumerated() {
                group.addTask {
                    try? await Task.sleep(until: start + .seconds(Double(seconds) * Double(index) / Double(clients.count)))
                    let begin = now()
                    await self.connect(client, index: index, resume: true)
                    times.add((now() - begin) * 1_000)
                }
            }
        }
        let resumed = clients.filter { $0.snapshotState.live && !$0.snapshotState.snapshot }.count
        return (resumed, Percentiles(times.all).at(99))
    }
}
