import ArgumentParser
import EventLog
import Foundation
import Histogram
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// `parley-bench eventlog`: append throughput against the raw INSERT ceiling, steady-state
/// latency and tail lag, scan speed against a server-side COPY, and storage per event.
struct EventLogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventlog", abstract: "Benchmark the event log (see docs/BENCHMARKS.md).")

    @Option(help: "Admin database URL of the benchmark cluster.") var url: String
    @Option(help: "Corpus events to load.") var events = 1_000_000
    @Option(help: "Path of the corpus generator (scripts/bench passes the checkout's scripts/corpus.py; the default is relative to Benchmarks/).") var corpus = "../scripts/corpus.py"
    @Option(help: "Seconds of steady load for latency and tail lag.") var steadySeconds = 10
    @Option(help: "Appends per second in the steady phase.") var steadyRate = 2_000
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        var logger = Logger(label: "parley-bench")
        logger.logLevel = .error
        let admin = try DatabaseURL(self.url)
        let database = "bench_\(Int(Date().timeIntervalSince1970))"
        try await Self.execute(admin, "CREATE DATABASE \(database)", logger: logger)
        let url = admin.withDatabase(database)
        defer { Self.progress("database \(database) kept for inspection; drop it when done") }

        Self.progress("generating \(self.events) corpus events")
        let corpus = try Corpus.load(events: self.events, generator: self.corpus)
        var report = Report()
        report.add("events", Double(self.events), "events")

        var configuration = EventLog.Configuration()
        configuration.trainDictionaryAfter = 5_000
        let log = EventLog(url: url, configuration: configuration, logger: logger)
        try await log.migrate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            try await self.measure(log: log, url: url, corpus: corpus, report: &report, logger: logger)
            group.cancelAll()
        }
        if self.json {
            print(try report.json())
        } else {
            print(report.table(title: "parley-bench eventlog — \(self.events) corpus events, \(ProcessInfo.processInfo.activeProcessorCount) cores"))
        }
    }

    private func measure(log: EventLog, url: DatabaseURL, corpus: Corpus, report: inout Report, logger: Logger) async throws {
        // Throughput at 1, 16 and 256 appenders, each appending single events as chat clients do.
        let n = corpus.items.count
        let slices = [(1, 0..<min(n, 3_000)), (16, min(n, 3_000)..<min(n, 3_000 + n / 10)), (256, min(n, 3_000 + n / 10)..<n)]
        var best = 0.0
        for (appenders, range) in slices where !range.isEmpty {
            Self.progress("appending \(range.count) events with \(appenders) concurrent appenders")
            let rate = try await Self.append(corpus.items[range], appenders: appenders, log: log)
            report.add("append_events_per_s_\(appenders)", rate, "events/s", "\(appenders) appenders, single-event appends")
            best = max(best, rate)
        }
        report.add("append_events_per_s", best, "events/s", "best of the above; target >= 100000")

        Self.progress("measuring the raw INSERT ceiling")
        let ceiling = try await Self.insertCeiling(url: url, rows: min(200_000, n), clients: 16, logger: logger)
        report.add("append_ceiling_events_per_s", ceiling, "rows/s", "multi-row INSERT of the same rows, 16 clients")
        report.add("append_share_of_ceiling", best / ceiling, "", "target >= 0.5")

        Self.progress("steady load: \(self.steadyRate) appends/s for \(self.steadySeconds) s")
        let (latencies, lags) = try await self.steady(log: log, url: url, corpus: corpus, logger: logger)
        report.add(latency: "append", latencies, "from each append's scheduled time to its return; target p50 <= 1.5, p99 <= 5")
        report.add(latency: "tail_lag", lags, "recordedAt to a tailer in another EventLog instance; target p99 <= 10")

        Self.progress("scanning the whole log")
        let head = try await log.head().position
        var start = now()
        var scanned = 0
        var payloadBytes = 0
        for try await batch in log.scan() {
            scanned += batch.count
            for event in batch { payloadBytes += event.payload.count }
        }
        let scanRate = Double(scanned) / (now() - start)
        guard scanned == Int(head) else { throw BenchError("scan read \(scanned) events; the head is \(head)") }
        report.add("scan_events_per_s", scanRate, "events/s", "libpq binary COPY, decoded; target >= 1000000")

        start = now()
        var paged = 0
        var cursor: Int64 = 0
        while true {
            let page = try await log.read(after: cursor, limit: 10_000)
            guard let last = page.last else { break }
            paged += page.count
            cursor = last.position
        }
        report.add("scan_postgresnio_events_per_s", Double(paged) / (now() - start), "events/s", "PostgresNIO keyset pages of 10000, decoded")

        start = now()
        try await Self.execute(url, "COPY parley_events TO '/dev/null' (FORMAT binary)", logger: logger)
        report.add("scan_ceiling_rows_per_s", Double(head) / (now() - start), "rows/s", "server-side COPY to /dev/null")

        Self.progress("measuring storage")
        try await Self.execute(url, "VACUUM ANALYZE parley_events", logger: logger)
        let sizes = try await Self.query(
            url,
            """
            SELECT pg_total_relation_size('parley_events')::float8, pg_relation_size('parley_events')::float8,
                   (SELECT sum(octet_length(body) - 1) FROM parley_events)::float8,
                   pg_total_relation_size('parley_streams')::float8
            """, logger: logger)
        report.add("bytes_per_event", sizes[0] / Double(head), "bytes", "parley_events heap + TOAST + indexes; target <= 220")
        report.add("heap_bytes_per_event", sizes[1] / Double(head), "bytes")
        report.add("streams_bytes_per_event", sizes[3] / Double(head), "bytes", "the interned stream names, shared by events")
        report.add("compression_ratio", Double(payloadBytes) / sizes[2], "x", "payload bytes / stored body bytes (bodies also hold metadata)")
    }

    /// Appends `items` from `appenders` concurrent tasks, one event per append; returns events/s.
    private static func append(_ items: ArraySlice<Corpus.Item>, appenders: Int, log: EventLog) async throws -> Double {
        let next = Counter(items.startIndex)
        let start = now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<appenders {
                group.addTask {
                    while true {
                        let index = next.next()
                        guard index < items.endIndex else { return }
                        let item = items[index]
                        try await log.append([item.event], to: item.stream)
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(items.count) / (now() - start)
    }

    /// Steady open-loop load: returns append latencies (from each append's scheduled time, so a
    /// late sender counts) and commit-to-tailer lags.
    private func steady(log: EventLog, url: DatabaseURL, corpus: Corpus, logger: Logger) async throws -> (Histogram<UInt64>, Histogram<UInt64>) {
        let total = self.steadyRate * self.steadySeconds
        let tailer = EventLog(url: url, logger: logger)
        let from = try await log.head().position
        let latencies = Latencies()
        let lags = Latencies()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await tailer.run() }
            group.addTask {
                var seen = 0
                for try await event in tailer.tail(after: from) {
                    lags.record(seconds: Double(wallMicros() - event.recordedAt.microseconds) / 1_000_000)
                    seen += 1
                    if seen == total { return }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { appends in
                let schedule = OpenLoopSchedule(start: now(), rate: Double(self.steadyRate))
                for i in 0..<total {
                    await schedule.wait(for: i)
                    var item = corpus.items[i % corpus.items.count]
                    item.event.idempotencyKey = "steady-\(i)"
                    appends.addTask {
                        try await log.append([item.event], to: item.stream)
                        latencies.record(seconds: now() - schedule.due(i))
                    }
                }
                try await appends.waitForAll()
            }
            // Wait for the tailer to see everything, then stop it.
            try await group.next()
            group.cancelAll()
        }
        return (latencies.snapshot, lags.snapshot)
    }

    /// The raw PostgreSQL ceiling: the stored rows of the first `rows` events, inserted again
    /// into a table of the same shape and indexes by `clients` connections, 256 rows a statement.
    private static func insertCeiling(url: DatabaseURL, rows: Int, clients: Int, logger: Logger) async throws -> Double {
        try await Self.execute(url, "CREATE TABLE bench_ceiling (LIKE parley_events INCLUDING ALL)", logger: logger)
        typealias Row = (Int64, Date, Int32, Int32, Int16, Int64?, ByteBuffer, ByteBuffer)
        let client = PostgresClient(configuration: url.clientConfiguration(), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Double.self) { group in
            group.addTask {
                await client.run()
                return 0
            }
            var all: [Row] = []
            for try await row in try await client.query(
                """
                SELECT position, recorded_at, stream_id, stream_version, type_id, idempotency_key, hash, body
                FROM parley_events WHERE position <= \(Int64(rows)) ORDER BY position
                """, logger: logger
            ).decode(Row.self) { all.append(row) }
            let batches = stride(from: 0, to: all.count, by: 256).map { Array(all[$0..<min(all.count, $0 + 256)]) }
            let next = Counter(0)
            let start = now()
            try await withThrowingTaskGroup(of: Void.self) { inserts in
                for _ in 0..<clients {
                    inserts.addTask {
                        while true {
                            let index = next.next()
                            guard index < batches.count else { return }
                            let batch = batches[index]
                            try await client.query(
                                """
                                INSERT INTO bench_ceiling (position, recorded_at, stream_id, stream_version, type_id, idempotency_key, hash, body)
                                SELECT p, t, s, v, ty, NULLIF(k, 0), h, b
                                FROM unnest(
                                    \(batch.map(\.0))::int8[], \(batch.map(\.1))::timestamptz[], \(batch.map(\.2))::int4[],
                                    \(batch.map(\.3))::int4[], \(batch.map(\.4))::int2[], \(batch.map { $0.5 ?? 0 })::int8[],
                                    \(batch.map(\.6))::bytea[], \(batch.map(\.7))::bytea[]) AS r(p, t, s, v, ty, k, h, b)
                                """, logger: logger)
                        }
                    }
                }
                try await inserts.waitForAll()
            }
            let rate = Double(all.count) / (now() - start)
            group.cancelAll()
            return rate
        }
    }

    static func execute(_ url: DatabaseURL, _ sql: String, logger: Logger) async throws {
        _ = try await Self.query(url, sql, logger: logger)
    }

    private static func query(_ url: DatabaseURL, _ sql: String, logger: Logger) async throws -> [Double] {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable),
            id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        var values: [Double] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            for cell in row { values.append((try? cell.decode(Double.self)) ?? .nan) }
        }
        return values
    }

    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("· \(line)\n".utf8))
    }
}
