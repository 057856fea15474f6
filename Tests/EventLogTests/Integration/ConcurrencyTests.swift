@_spi(Testing) import EventLog
import Foundation
import ParleyTestSupport
import Testing

/// Reads the tail from `after` until an event of type `End` arrives, returning every event before it.
func collectTail(_ log: EventLog, after: Int64 = 0) async throws -> [RecordedEvent] {
    var seen: [RecordedEvent] = []
    for try await event in log.tail(after: after) {
        if event.type == "End" { break }
        seen.append(event)
    }
    return seen
}

/// Appends the event that ends ``collectTail(_:after:)``.
func endTails(_ log: EventLog) async throws {
    try await log.append([EventData(type: "End", payload: json("{}"))], to: try StreamName("test-end"))
}

@Suite("Concurrent writers, tailers and crashes")
struct ConcurrencyTests {
    @Test("a tailer sees events appended after it started, woken by the commits, and resumes from any position", .timeLimit(.minutes(3)))
    func tailFollowsCommits() async throws {
        // Polling every hour: only the commits' wake-ups can bring the tailer to the end in time
        // (under the full suite's load on two cores, setting up and 25 appends take about a minute).
        try await withEventLog(configure: { $0.tailPollInterval = .seconds(3_600) }) { log, _ in
            let stream = try StreamName("conversation-t")
            try await log.append([EventData(type: "T", payload: json("{}"))], to: stream)
            async let tailed = collectTail(log)
            try await Task.sleep(for: .milliseconds(100))
            for _ in 0..<24 { try await log.append([EventData(type: "T", payload: json("{}"))], to: stream) }
            try await endTails(log)
            #expect(try await tailed.map(\.position) == Array(1...25))
            let resumed = try await collectTail(log, after: 20)
            #expect(resumed.map(\.position) == [21, 22, 23, 24, 25])
        }
    }

    @Test("4 processes append (with conflicts and rollbacks) while 2 tailers read: every tailer sees exactly the committed events, dense, in order, once")
    func processesAndTailers() async throws {
        try await withEventLog { log, url in
            let workerCount = 4
            let appendsEach = 150
            async let tailerA = collectTail(log)
            async let tailerB = collectTail(log)
            let workers = try (0..<workerCount).map {
                try ChildProcess.logWorker(url: url, name: "w\($0)", count: appendsEach, sharedEvery: 3, rollbackEvery: 7)
            }
            var statuses: [Int32] = []
            for worker in workers { statuses.append(await worker.wait()) }
            #expect(statuses == Array(repeating: 0, count: workerCount))

            let head = try await log.head().position
            try await endTails(log)
            let (a, b) = try await (tailerA, tailerB)

            var acknowledged: [String: Int64] = [:]
            var conflicts = 0
            var rollbacks = 0
            for worker in workers {
                acknowledged.merge(worker.acknowledged) { first, _ in first }
                conflicts += worker.output.filter { $0.hasPrefix("CONFLICT") }.count
                rollbacks += worker.output.filter { $0.hasPrefix("ROLLBACK") }.count
            }
            #expect(rollbacks == workerCount * ((appendsEach + 6) / 7))
            #expect(conflicts > 0, "the shared stream should see version conflicts between processes")
            #expect(acknowledged.count + conflicts + rollbacks == workerCount * appendsEach)
            #expect(head == Int64(acknowledged.count))

            for seen in [a, b] {
                #expect(seen.map(\.position) == Array(1...head))
                let byKey = Dictionary(seen.map { ($0.idempotencyKey ?? "", $0.position) }, uniquingKeysWith: { first, _ in first })
                #expect(byKey == acknowledged)
                #expect(!seen.contains { $0.stream.category == "rolledback" })
            }
            #expect(a == b)
            // Versions of the shared stream are dense too.
            let shared = try await log.read(stream: try StreamName("shared-counter"), from: 1, limit: 10_000)
            #expect(shared.map(\.streamVersion) == Array(1...shared.count))
            #expect(try await log.verify().isIntact)
        }
    }

    @Test("kill -9 of an appending process: every acknowledged append is present exactly once, a restart completes the rest once, and verify passes")
    func crash() async throws {
        try await withEventLog { log, url in
            let count = 3_000
            let victim = try ChildProcess.logWorker(url: url, name: "crash", count: count, sharedEvery: 4, concurrency: 16)
            while victim.acknowledged.count < 300 {
                #expect(victim.process.isRunning, "the worker ended before it could be killed")
                try await Task.sleep(for: .milliseconds(5))
            }
            victim.kill()
            _ = await victim.wait()
            let acknowledged = victim.acknowledged
            #expect(acknowledged.count >= 300)
            #expect(acknowledged.count < count, "the kill must land mid-run")

            var stored: [String: [Int64]] = [:]
            for try await batch in log.scan() {
                for event in batch { stored[event.idempotencyKey ?? "", default: []].append(event.position) }
            }
            for (key, position) in acknowledged {
                #expect(stored[key] == [position], "acknowledged \(key) must be stored once at \(position)")
            }
            #expect(stored.values.allSatisfy { $0.count == 1 })
            #expect(try await log.verify().isIntact)

            // The client retries everything with the same keys: the stored ones come back unchanged.
            let retry = try ChildProcess.logWorker(url: url, name: "crash", count: count, sharedEvery: 4, concurrency: 16)
            #expect(await retry.wait() == 0)
            let conflicts = retry.output.filter { $0.hasPrefix("CONFLICT") }.count
            for (key, position) in acknowledged { #expect(retry.acknowledged[key] == position) }
            var after: [String: Int] = [:]
            for try await batch in log.scan() { for event in batch { after[event.idempotencyKey ?? "", default: 0] += 1 } }
            #expect(after.values.allSatisfy { $0 == 1 })
            #expect(after.count + conflicts == count)
            #expect(try await log.verify().isIntact)
        }
    }
}
