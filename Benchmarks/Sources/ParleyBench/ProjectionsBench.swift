import ArgumentParser
import EventLog
import Foundation
import Projections

/// `parley-bench projections`: in-memory replay of every projection, decode + apply, over corpus
/// events as the log stores them.
struct ProjectionsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections", abstract: "Benchmark the projections (see docs/BENCHMARKS.md).")

    @Option(help: "Admin database URL of the benchmark cluster; scripts/bench passes it, the in-memory replay needs none.")
    var url: String?
    @Option(help: "Corpus events to replay.") var events = 1_000_000
    @Option(help: "Path of the corpus generator (scripts/bench passes the checkout's scripts/corpus.py; the default is relative to Benchmarks/).") var corpus = "../scripts/corpus.py"
    @Option(help: "Replays to run; the fastest is reported.") var rounds = 3
    @Option(help: "Seconds of steady appends for projector lag.") var steadySeconds = 10
    @Option(help: "Appends per second while measuring projector lag.") var steadyRate = 2_000
    @Option(help: "Milliseconds each projector lets events gather after a commit while measuring lag; the default is what `parley serve` ships (--projector-batch-delay-ms).")
    var batchDelayMs = 20
    @Flag(help: "Only the in-memory replay (no database).") var inMemoryOnly = false
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        EventLogBench.progress("generating \(self.events) corpus events")
        let lines = try Corpus.lines(events: self.events, generator: self.corpus)
        EventLogBench.progress("mapping and encoding them as stored events")
        let recorded = try Self.recorded(lines)
        var best = 0.0
        for round in 1...max(1, self.rounds) {
            let rate = try Self.replay(recorded)
            EventLogBench.progress("replay \(round): \(Int(rate)) events/s")
            best = max(best, rate)
        }
        var report = Report()
        report.add("events", Double(self.events), "events")
        report.add("replay_events_per_s", best, "events/s", "decode + apply of all six projections, one core, best of \(max(1, self.rounds)); target >= 1000000")
        if !self.inMemoryOnly {
            guard let url = self.url else { throw BenchError("--url is needed for the persisted phases (or pass --in-memory-only)") }
            let persisted = try await self.persisted(lines, admin: try DatabaseURL(url))
            report.add("import_events_per_s", persisted.importEventsPerSecond, "events/s", "parley-replay import's path into an empty log; target >= 100000")
            report.add("rebuild_seconds", persisted.rebuild, "s", "rebuild of every stored projection from one scan into shadow tables + swap; target <= 30")
            report.add("rebuild_separately_seconds", persisted.rebuildSeparately, "s", "baseline: each stored projection rebuilt on its own, one after another")
            report.add(
                latency: "projector_lag", persisted.lag,
                "append return to projection commit, batch delay \(self.batchDelayMs) ms, pages of \(ProjectorConfiguration().pageSize) (as `parley serve`); target <= 50 at \(self.steadyRate) appends/s")
        }
        if self.json {
            print(try report.json())
        } else {
            print(report.table(title: "parley-bench projections — \(self.events) corpus events, \(ProcessInfo.processInfo.activeProcessorCount) cores"))
        }
    }

    /// The corpus as the log would hold it: mapped to catalogue events, encoded, positions dense from 1.
    private static func recorded(_ lines: [Data]) throws -> [RecordedEvent] {
        var versions: [StreamName: Int] = [:]
        let hash = [UInt8](repeating: 0, count: 32)
        return try lines.enumerated().map { index, line in
            let mapped = try CorpusEvent(line: Array(line))
            let data = mapped.eventData
            versions[mapped.stream, default: 0] += 1
            return RecordedEvent(
                position: Int64(index + 1), stream: mapped.stream, streamVersion: versions[mapped.stream]!, type: data.type,
                schemaVersion: data.schemaVersion, recordedAt: mapped.event.occurredAt, idempotencyKey: data.idempotencyKey,
                metadata: data.metadata, payload: data.payload, hash: hash)
        }
    }

    /// Decodes every event and applies it to all six projections, collecting their changes in
    /// buffers emptied every 1,000 events as a projector's batches would be; returns events per second.
    private static func replay(_ events: [RecordedEvent]) throws -> Double {
        var projections = (Inbox(), UnreadCounts(), Receipts(), VendorResponseMetrics(), DisputeTimeline(), MessageVolume())
        var changes = ([Inbox.Change](), [UnreadCounts.Change](), [Receipts.Change](), [VendorResponseMetrics.Change](),
            [DisputeTimeline.Change](), [MessageVolume.Change]())
        var written = 0
        let start = now()
        for offset in events.indices {
            let event = try ProjectedEvent(events[offset])
            projections.0.apply(event, into: &changes.0)
            projections.1.apply(event, into: &changes.1)
            projections.2.apply(event, into: &changes.2)
            projections.3.apply(event, into: &changes.3)
            projections.4.apply(event, into: &changes.4)
            projections.5.apply(event, into: &changes.5)
            if offset % 1_000 == 999 {
                written += changes.0.count + changes.1.count + changes.2.count + changes.3.count + changes.4.count + changes.5.count
                changes.0.removeAll(keepingCapacity: true)
                changes.1.removeAll(keepingCapacity: true)
                changes.2.removeAll(keepingCapacity: true)
                changes.3.removeAll(keepingCapacity: true)
                changes.4.removeAll(keepingCapacity: true)
                changes.5.removeAll(keepingCapacity: true)
            }
        }
        let seconds = now() - start
        // Freeing the projections' state is teardown, not replay: keep it out of the timed span.
        withExtendedLifetime(projections) {}
        guard written > 0 else { throw BenchError("the replay changed no rows") }
        return Double(events.count) / seconds
    }
}
