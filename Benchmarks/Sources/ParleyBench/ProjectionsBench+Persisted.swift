import EventLog
import Foundation
import Histogram
import Logging
import Projections

/// The persisted half of `parley-bench projections`: the import of the corpus, a full rebuild of
/// every stored projection over the loaded log, and projector lag (commit to projection row)
/// under steady appends.
extension ProjectionsBench {
    /// What the persisted phases measured.
    struct Persisted: Sendable {
        /// `parley-replay import`'s path (map each line, append in large requests in file order) into an empty log.
        var importEventsPerSecond: Double
        /// Every stored projection rebuilt from one scan of the log.
        var rebuild: Double
        /// The baseline: each stored projection rebuilt on its own (its own scan), one after another.
        var rebuildSeparately: Double
        var lag: Histogram<UInt64>
    }

    /// Imports `lines` into a fresh database, rebuilds every stored projection (each on its own,
    /// then all from one scan), then measures lag.
    func persisted(_ lines: [Data], admin: DatabaseURL) async throws -> Persisted {
        let logger = {
            var logger = Logger(label: "parley-bench")
            logger.logLevel = .error
            return logger
        }()
        let database = "bench_projections_\(Int(Date().timeIntervalSince1970))"
        try await EventLogBench.execute(admin, "CREATE DATABASE \(database)", logger: logger)
        let url = admin.withDatabase(database)
        let log = EventLog(url: url, logger: logger)
        try await log.migrate(with: StoredProjections.migrations())
        let (rate, seconds) = (self.steadyRate, self.steadySeconds)
        // The projectors' tuning as `parley serve` ships it: its batch delay (ServeCommand's
        // --projector-batch-delay-ms, 20 ms) and the other fields' defaults (pages of 1,000).
        var tuning = ProjectorConfiguration()
        tuning.batchDelay = .milliseconds(self.batchDelayMs)
        let shipped = tuning
        return try await withThrowingTaskGroup(of: Persisted?.self) { group in
            group.addTask {
                try await log.run()
                return nil
            }
            group.addTask {
                EventLogBench.progress("importing \(lines.count) corpus events (parley-replay import's path)")
                let importStart = now()
                let corpus = try CorpusImport(lines: lines, source: "bench.jsonl")
                let (appended, _) = try await corpus.append(to: log)
                let importSeconds = now() - importStart
                guard appended == lines.count else { throw BenchError("the import appended \(appended) of \(lines.count) events") }
                let events = try lines.enumerated().map { index, line in
                    let mapped = try CorpusEvent(line: Array(line))
                    var event = mapped.eventData
                    event.idempotencyKey = event.idempotencyKey ?? "bench:\(index)"
                    return (stream: mapped.stream, event: event)
                }
                EventLogBench.progress("baseline: rebuilding every stored projection on its own, one after another")
                let separateStart = now()
                for name in StoredProjections.names {
                    _ = try await StoredProjections.rebuild(name, log: log, logger: logger) { _, _ in }
                }
                let separate = now() - separateStart
                EventLogBench.progress("rebuilding every stored projection from one scan")
                let start = now()
                _ = try await StoredProjections.rebuild(log: log, logger: logger) { _, _ in }
                let rebuild = now() - start
                EventLogBench.progress("projector lag: \(rate) appends/s for \(seconds) s")
                let lags = try await Self.lag(log: log, events: events, rate: rate, seconds: seconds, configuration: shipped, logger: logger)
                return Persisted(importEventsPerSecond: Double(lines.count) / importSeconds, rebuild: rebuild, rebuildSeparately: separate, lag: lags)
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw BenchError("the event log stopped")
        }
    }

    /// Runs every projector with `configuration` while appending at a steady rate; a sample is the
    /// time from an append's return to the commit of a projection that covers it (0 when the
    /// projector was first).
    private static func lag(
        log: EventLog, events: [(stream: StreamName, event: EventData)], rate: Int, seconds: Int, configuration: ProjectorConfiguration,
        logger: Logger
    ) async throws -> Histogram<UInt64> {
        let appended = Locked<[Int64: Double]>([:])
        let covered = Locked<[String: Int64]>([:])
        let samples = Latencies()
        let head = try await log.head().position
        var configuration = configuration
        configuration.onCommit = { projection, position in
            let at = now()
            let from = covered.withLock { state in
                defer { state[projection] = position }
                return state[projection] ?? head
            }
            guard position > from else { return }
            let times = appended.withLock { state in (from + 1...position).compactMap { state[$0] } }
            for time in times { samples.record(seconds: at - time) }
        }
        let tuning = configuration
        let total = rate * seconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await StoredProjections.run(StoredProjections.names, log: log, configuration: tuning, logger: logger) }
            // The clock starts once every projector has loaded its state and projected a warm-up event.
            var warmUp = events[0]
            warmUp.event.idempotencyKey = "lag-warm-up"
            let ready = try await log.append([warmUp.event], to: warmUp.stream).lastPosition
            while covered.withLock({ state in StoredProjections.names.contains { (state[$0] ?? 0) < ready } }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let interval = 1.0 / Double(rate)
            let start = now()
            try await withThrowingTaskGroup(of: Void.self) { appends in
                for i in 0..<total {
                    let wait = start + Double(i) * interval - now()
                    if wait > 0 { try await Task.sleep(for: .microseconds(Int(wait * 1_000_000))) }
                    var item = events[i % events.count]
                    item.event.idempotencyKey = "lag-\(i)"
                    appends.addTask {
                        let result = try await log.append([item.event], to: item.stream)
                        let at = now()
                        appended.withLock { $0[result.lastPosition] = at }
                    }
                }
                try await appends.waitForAll()
            }
            let last = try await log.head().position
            while covered.withLock({ state in StoredProjections.names.contains { (state[$0] ?? 0) < last } }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        return samples.snapshot
    }
}
