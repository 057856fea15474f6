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
        case deliver(DeliveryTally)
        case fanout(Locked<(received: Int, first: Double, last: Double)>)
        case reconnect(Locked<(acks: Int, errors: [String: Int])>)
        case storm(StormTally)
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
        case .deliver(let tally):
            if client.user.hasPrefix("v") {
                guard frame.hasPrefix(#"{"type":"update""#), frame.contains(#""kind":"message.added""#),
                    let index = Scan.integer(after: #""clientMessageId":"d"#, in: frame)
                else { return }
                tally.delivered(Int(index), at: now())
            } else if frame.hasPrefix(#"{"type":"ack""#), let index = Scan.integer(after: #""clientMessageId":"d"#, in: frame) {
                tally.acked(Int(index), at: now())
            } else if frame.hasPrefix(#"{"type":"error""#) {
                tally.rejected(code: Scan.string(after: #""code":""#, in: frame) ?? "?")
            }
        case .fanout(let tally):
            guard client.user.hasPrefix("b"), frame.contains(#""kind":"inbox.changed""#) else { return }
            let at = now()
            tally.withLock { $0 = ($0.received + 1, $0.received == 0 ? at : $0.first, at) }
        case .reconnect(let answers):
            if frame.hasPrefix(#"{"type":"ack""#) {
                answers.withLock { $0.acks += 1 }
            } else if frame.hasPrefix(#"{"type":"error""#) {
                let code = Scan.string(after: #""code":""#, in: frame) ?? "?"
                answers.withLock { $0.errors[code, default: 0] += 1 }
            }
        case .storm(let tally):
            tally.received(frame, by: client.user)
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

    /// Buyers send `rate` messages a second for `seconds` on an open-loop schedule (message `i`
    /// due `i / rate` s after the start, whenever its task runs); a message's latencies run from
    /// that due time to its ack (append) and to the vendor's update (deliver). Afterwards the
    /// phase waits up to `drainSeconds` for stragglers: what has not arrived by then is lost.
    func deliver(pool: [BenchClient], rate: Int, seconds: Int, drainSeconds: Double = 30) async throws -> DeliveryTally {
        let buyers = pool.filter { $0.user.hasPrefix("b") }
        let total = rate * seconds
        let schedule = OpenLoopSchedule(start: now() + 0.1, rate: Double(rate))
        let tally = DeliveryTally(schedule: schedule, total: total)
        self.phase.withLock { $0 = .deliver(tally) }
        EventLogBench.progress("latency: \(total) messages at \(rate)/s among \(buyers.count) buyers, \(pool.count) connected")
        await withDiscardingTaskGroup { group in
            for index in 0..<total {
                await schedule.wait(for: index)
                let buyer = buyers[Int.random(in: 0..<buyers.count)]
                let pair = buyer.user.dropFirst(2)
                let frame = #"{"type":"send","id":"d\#(index)","conversationId":"c-\#(pair)","clientMessageId":"d\#(index)","text":"Is this still available? I could pick it up today."}"#
                group.addTask { await buyer.send(frame) }
            }
        }
        let behind = now() - schedule.due(total - 1)
        let deadline = schedule.due(total) + drainSeconds
        while now() < deadline {
            let counts = tally.counts
            if counts.delivered == total && counts.acked == total { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        self.phase.withLock { $0 = .idle }
        let counts = tally.counts
        EventLogBench.progress(
            "latency: the last send went out \(Int(behind * 1_000)) ms after it was due; \(counts.acked) acked, \(counts.delivered) delivered, \(counts.errors) errors (\(tally.errorCodes))")
        return tally
    }

    /// The platform updates one listing `updates` times; every buyer asking about it gets an
    /// inbox change each time. The updates are sent together, none waiting for another's HTTP
    /// answer, so the HTTP calls do not pace the fan-out; the clock runs from the first update's
    /// send to the last frame received. Returns frames per second and the frames received.
    func fanout(buyers: Int, updates: Int) async throws -> (framesPerSecond: Double, received: Int) {
        let tally = Locked((received: 0, first: 0.0, last: 0.0))
        self.phase.withLock { $0 = .fanout(tally) }
        EventLogBench.progress("fan-out: \(updates) listing updates to \(buyers) buyers")
        let port = self.port
        let start = now()
        let answered = try await withThrowingTaskGroup(of: Double.self) { group in
            for index in 0..<updates {
                group.addTask {
                    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/platform/listings/L-F")!)
                    request.httpMethod = "PUT"
                    request.setValue(ServerBench.platformKey, forHTTPHeaderField: "X-Parley-Platform-Key")
                    request.httpBody = Data(#"{"vendorId":"v-f","title":"Lamp","priceCents":\#(1_001 + index)}"#.utf8)
                    let (_, response) = try await URLSession.shared.data(for: request)
                    guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchError("a listing update was refused: \(response)") }
                    return now()
                }
            }
            return try await group.reduce(start) { max($0, $1) }
        }
        let expected = updates * buyers
        let deadline = now() + 60
        while tally.withLock({ $0.received }) < expected && now() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        self.phase.withLock { $0 = .idle }
        let (count, first, last) = tally.withLock { $0 }
        EventLogBench.progress(
            "fan-out: \(count) of \(expected) frames; updates answered by +\(Int((answered - start) * 1_000)) ms, first frame +\(Int((first - start) * 1_000)) ms, last +\(Int((last - start) * 1_000)) ms")
        return (Double(count) / max(1e-6, last - start), count)
    }

    /// One at a time, a vendor disconnects, its buyer sends `missed` messages, and the vendor
    /// reconnects with its offset: connect-to-live times, and how many resumed with every update.
    /// (Closed loop by design: one reconnect at a time, timed from its own start.)
    func reconnect(pool: [BenchClient], count: Int, missed: Int) async throws -> (live: Latencies, resumed: Int) {
        let answers = Locked((acks: 0, errors: [String: Int]()))
        self.phase.withLock { $0 = .reconnect(answers) }
        let times = Latencies()
        var resumed = 0
        EventLogBench.progress("reconnects: \(count) vendors each missing \(missed) events")
        for pair in 0..<count {
            guard let buyer = pool.first(where: { $0.user == "b-\(pair)" }), let vendor = pool.first(where: { $0.user == "v-\(pair)" }) else { continue }
            await self.disconnect([vendor])
            answers.withLock { $0 = (0, [:]) }
            for index in 0..<missed {
                await buyer.send(#"{"type":"send","conversationId":"c-\#(pair)","clientMessageId":"r\#(pair)-\#(index)","text":"Are you there? I am still interested in it."}"#)
            }
            let deadline = now() + 60
            while answers.withLock({ $0.acks + $0.errors.values.reduce(0, +) }) < missed && now() < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let (acked, errors) = answers.withLock { $0 }
            if acked < missed {
                EventLogBench.progress("reconnects: pair \(pair): \(acked) of \(missed) sends acknowledged; error frames: \(errors.isEmpty ? "none" : errors.map { "\($0.value) \($0.key)" }.joined(separator: ", "))")
            }
            let start = now()
            await self.connect([vendor], resume: true)
            let state = vendor.snapshotState
            if let liveAt = state.liveAt { times.record(seconds: liveAt - start) }
            if state.live && !state.snapshot && state.updates == missed { resumed += 1 }
        }
        self.phase.withLock { $0 = .idle }
        return (times, resumed)
    }

    /// Every client disconnects, messages arrive meanwhile (one to each of the first 500 pairs),
    /// and all reconnect with their offsets on an open-loop schedule spread over `seconds`. A
    /// client resumed if it got the update it missed and then `live`, with no snapshot; the tally
    /// counts those that did so within `window` seconds of the first reconnect's due time.
    func storm(_ clients: [BenchClient], seconds: Double, window: Double) async throws -> StormTally {
        EventLogBench.progress("storm: \(clients.count) clients disconnect")
        await self.disconnect(clients)
        let users = Set(clients.map(\.user))
        let buyers = clients.filter { $0.user.hasPrefix("b") }
        var expected: [String: String] = [:]
        for index in 0..<min(500, buyers.count) {
            let pair = buyers[index].user.dropFirst(2)
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(self.port)/v1/conversations/c-\(pair)/messages")!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(buyers[index].token)", forHTTPHeaderField: "Authorization")
            request.httpBody = Data(#"{"clientMessageId":"storm-\#(index)","text":"while you were away"}"#.utf8)
            let (_, response) = try await URLSession.shared.data(for: request)
            guard (200..<300).contains((response as? HTTPURLResponse)?.statusCode ?? 0) else { throw BenchError("a storm message was refused: \(response)") }
            // Both participants' streams carry the message (the sender's other devices too).
            for user in ["b-\(pair)", "v-\(pair)"] where users.contains(user) {
                expected[user] = #""clientMessageId":"storm-\#(index)""#
            }
        }
        EventLogBench.progress("storm: \(clients.count) clients reconnect over \(seconds) s; counted if resumed within \(window) s")
        let schedule = OpenLoopSchedule(start: now() + 0.1, rate: Double(clients.count) / max(1e-3, seconds))
        let tally = StormTally(start: schedule.start, window: window, expected: expected)
        self.phase.withLock { $0 = .storm(tally) }
        await withDiscardingTaskGroup { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    await schedule.wait(for: index)
                    await self.connect(client, index: index, resume: true)
                    let state = client.snapshotState
                    tally.finished(client.user, due: schedule.due(index), liveAt: state.liveAt, snapshot: state.snapshot)
                }
            }
        }
        self.phase.withLock { $0 = .idle }
        return tally
    }
}
