import ArgumentParser
import EventLog
import Foundation
import Logging
import PostgresNIO
import Projections

/// `parley-bench inbox`: the stored inbox's pages (`Inbox.page`, what `GET /v1/inbox` runs) for a
/// vendor with a large inbox among many other users' rows, each kind of page timed on its own;
/// once without the per-owner search index (the baseline) and once with it.
struct InboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "Benchmark inbox pages read from the stored inbox (see docs/BENCHMARKS.md).")

    @Option(help: "Admin database URL of the benchmark cluster (scripts/bench passes it).") var url: String
    @Option(help: "Conversations of the vendor whose pages are timed.") var conversations = 50_000
    @Option(help: "Inbox rows of other users (ten each), which global indexes also hold.") var otherRows = 950_000
    @Option(help: "Timed pages of each kind.") var samples = 2_000
    @Option(help: "Rows per page, as the route's default.") var limit = 50
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    /// The pages timed: a name, and the query.
    static let pages: [(name: String, query: Inbox.Query)] = [
        ("first", Inbox.Query()),
        ("unread", Inbox.Query(filter: .unread)),
        ("awaiting", Inbox.Query(filter: .awaitingReply)),
        ("unread_first", Inbox.Query(sort: .unreadFirst)),
        // About ten of the vendor's conversations match.
        ("search_narrow", Inbox.Query(search: "vance 4999")),
        // About a tenth of the vendor's inbox (and of everyone's) matches.
        ("search_broad", Inbox.Query(search: "alison")),
        // A fifth of every inbox matches the listing title.
        ("search_title", Inbox.Query(search: "lamp")),
        // Nothing matches: the whole candidate set is looked at.
        ("search_none", Inbox.Query(search: "zzzq")),
    ]

    func run() async throws {
        let logger = {
            var logger = Logger(label: "parley-bench")
            logger.logLevel = .error
            return logger
        }()
        let admin = try DatabaseURL(self.url)
        let database = "bench_inbox_\(Int(Date().timeIntervalSince1970))"
        try await EventLogBench.execute(admin, "CREATE DATABASE \(database)", logger: logger)
        let log = EventLog(url: admin.withDatabase(database), logger: logger)
        try await log.migrate(with: StoredProjections.migrations())
        let report = try await withThrowingTaskGroup(of: Report?.self) { group in
            group.addTask {
                try await log.run()
                return nil
            }
            let sizes = Sizes(conversations: self.conversations, otherRows: self.otherRows, samples: self.samples, limit: self.limit)
            group.addTask { try await Self.measure(log, sizes, logger: logger) }
            let report = try await group.next()!
            group.cancelAll()
            return report!
        }
        try? await EventLogBench.execute(admin, "DROP DATABASE \(database) WITH (FORCE)", logger: logger)
        if self.json {
            print(try report.json())
        } else {
            print(report.table(title: "parley-bench inbox — \(self.conversations) conversations of one vendor among \(self.otherRows) other rows"))
        }
    }

    /// What a run seeds and times.
    struct Sizes: Sendable {
        var conversations: Int
        var otherRows: Int
        var samples: Int
        var limit: Int
    }

    private static func measure(_ log: EventLog, _ sizes: Sizes, logger: Logger) async throws -> Report {
        EventLogBench.progress("seeding \(sizes.conversations + sizes.otherRows) inbox rows")
        try await Self.seed(log, vendor: sizes.conversations, others: sizes.otherRows, logger: logger)
        var report = Report()
        EventLogBench.progress("baseline: without the per-owner search index")
        try await log.client.query("DROP INDEX parley_inbox_owner_search", logger: logger)
        try await log.client.query("ANALYZE parley_inbox", logger: logger)
        try await Self.time(log, sizes, into: &report, prefix: "without_owner_index_", logger: logger)
        EventLogBench.progress("with the per-owner search index (as migrated)")
        try await log.client.query(
            "CREATE INDEX parley_inbox_owner_search ON parley_inbox USING gin (owner_id, counterpart_name gin_trgm_ops, subject_title gin_trgm_ops)",
            logger: logger)
        try await log.client.query("ANALYZE parley_inbox", logger: logger)
        try await Self.time(log, sizes, into: &report, prefix: "", logger: logger)
        return report
    }

    /// Times `sizes.samples` pages of each kind for the vendor, one after another, each after a warm-up.
    private static func time(_ log: EventLog, _ sizes: Sizes, into report: inout Report, prefix: String, logger: Logger) async throws {
        for (name, query) in Self.pages {
            let latencies = Latencies()
            var rows = 0
            for sample in -20..<sizes.samples {
                let start = now()
                let page = try await Inbox.page(of: "v-big", query, after: nil, limit: sizes.limit, client: log.client, logger: logger)
                if sample >= 0 { latencies.record(seconds: now() - start) }
                rows = page.rows.count
            }
            EventLogBench.progress("\(prefix)\(name): p99 \(latencies.snapshot.milliseconds(at: 99)) ms, \(rows) rows a page")
            report.add(latency: "\(prefix)inbox_\(name)", latencies.snapshot, prefix.isEmpty ? "target <= 10" : "baseline")
        }
    }

    /// The vendor `v-big`'s conversations and other users' rows (ten each), with names and
    /// listing titles from small vocabularies: 1 in 7 unread, 1 in 5 awaiting a reply.
    static func seed(_ log: EventLog, vendor: Int, others: Int, logger: Logger) async throws {
        try await log.client.query(
            """
            INSERT INTO parley_inbox (owner_id, conversation_id, counterpart_id, counterpart_role, counterpart_name, subject_kind,
                listing_id, subject_title, price_cents, last_message_preview, last_message_redacted, last_message_id, last_message_at,
                last_message_sender_id, last_activity_at, unread_count, awaiting_reply, blocked, blocked_by_counterpart, muted)
            SELECT CASE WHEN g <= \(vendor) THEN 'v-big' ELSE 'u-' || (g / 10) END, 'c-' || g, 'b-' || g, 'buyer',
                   (ARRAY['alison','bram','chen','dara','eli','femi','gus','hana','ivo','juno'])[1 + g % 10] || ' '
                       || (ARRAY['stone','reyes','okafor','lind','moss','patel','quinn','roth','sato','vance'])[1 + (g / 10) % 10] || ' ' || g,
                   'listing', 'l-' || (g % 2500),
                   (ARRAY['brass lamp','oak table','road bike','wool rug','camera'])[1 + g % 5] || ' no. ' || (g % 500),
                   1000, 'hello', false, 'm-' || g, now(), 'b-' || g, now() - g * INTERVAL '1 second',
                   CASE WHEN g % 7 = 0 THEN 1 ELSE 0 END, g % 5 = 0, false, false, false
            FROM generate_series(1, \(vendor + others)) g
            """, logger: logger)
    }
}
