import EventLog
import Foundation
import ParleyTestSupport
import Projections
import Testing

/// Runs `parley-replay` with `arguments`; returns its exit status and what it printed on stderr.
func replay(_ arguments: [String]) async throws -> (status: Int32, stdout: [String], stderr: String) {
    let child = try ChildProcess("parley-replay", arguments, capturingErrors: true)
    let status = await child.wait()
    return (status, child.output, child.errorOutput)
}

@Suite("parley-replay on a real database")
struct ReplayCommandTests {
    @Test("bad arguments and unknown ids get one clear line and a non-zero exit, and change nothing")
    func badArguments() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            try await append(try corpusEvents(conversations: 5, seed: 2), to: log)
            let head = try await log.head().position
            let database = ["--database-url", url.urlString]
            let cases: [([String], String)] = [
                (["verify", "--from", "0"] + database, "--from must be 1 or more"),
                (["verify", "--from", "5", "--to", "2"] + database, "must not be below --from"),
                (["timeline", "--staff", "s-1", "--reason", "ticket"] + database, "exactly one of --conversation ID or --order ID"),
                (["timeline", "--conversation", "c-9999999", "--staff", "s-1", "--reason", "ticket"] + database, "no conversation \"c-9999999\""),
                (["timeline", "--conversation", "c-0000001", "--staff", "s-1", "--reason", " "] + database, "--staff and --reason must not be empty"),
                (["rebuild", "--projection", "nope"] + database, "unknown projection \"nope\""),
                (["import", "/nonexistent/corpus.jsonl"] + database, "cannot read /nonexistent/corpus.jsonl"),
                (["verify", "--database-url", "mysql://x"], "is not of the form postgres://"),
            ]
            for (arguments, message) in cases {
                let result = try await replay(arguments)
                #expect(result.status != 0, "\(arguments)")
                #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
                #expect(result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
            }
            #expect(try await log.head().position == head)
        }
    }

    @Test("import is idempotent, verify and stats report the log, and a timeline read is logged as a staff view")
    func importVerifyStatsTimeline() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString).jsonl")
            let lines = try corpusLines(conversations: 20, seed: 4)
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let database = ["--database-url", url.urlString]

            let first = try await replay(["import", file.path] + database)
            #expect(first.status == 0)
            #expect(first.stdout.last == "imported \(file.path): \(lines.count) events appended, 0 already in the log")
            let second = try await replay(["import", file.path] + database)
            #expect(second.stdout.last == "imported \(file.path): 0 events appended, \(lines.count) already in the log")
            #expect(try await log.head().position == Int64(lines.count))

            let verify = try await replay(["verify"] + database)
            #expect(verify.status == 0)
            #expect(verify.stdout == ["intact: positions 1…\(lines.count), \(lines.count) events, hash chain verified"])
            let stats = try await replay(["stats"] + database)
            #expect(stats.stdout.contains { $0.hasPrefix("total") && $0.contains(" \(lines.count) ") })

            let timeline = try await replay(["timeline", "--conversation", "c-0000003", "--staff", "s-7", "--reason", "ticket 12", "--format", "json"] + database)
            #expect(timeline.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(timeline.stdout.joined().utf8)) as? [String: Any])
            let entries = try #require(object["entries"] as? [[String: Any]])
            #expect(!entries.isEmpty)
            #expect(entries.allSatisfy { ($0["stream"] as? String) == "conversation-c-0000003" || ($0["stream"] as? String)?.hasPrefix("order-") == true || ($0["stream"] as? String)?.hasPrefix("user-") == true })
            #expect((object["verify"] as? [String: Any])?["intact"] as? Bool == true)
            let views = try await log.read(stream: try StreamName.conversation("c-0000003"), from: 1, limit: 1_000).filter { $0.type == "StaffViewedConversation" }
            #expect(views.count == 1)
            #expect(views.first?.metadata.actor == "user:s-7", "the server's format for a staff user's view")
        }
    }
}
