import Foundation
import ParleyTestSupport
import Testing

/// The HTTP routes driven from `schemas/openapi.yaml` by `scripts/http-fuzz` (schemathesis): bad
/// bodies, bad parameters and bad tokens beside valid requests. No crash, no status of 500 or more
/// but a 503 the document describes, no status or body the document does not describe, no
/// request left hanging, every stored projection caught up afterwards, and a bystander's stream
/// and inbox unaffected. The suite runs a few examples per operation (about 2,000 requests);
/// `PARLEY_HTTP_FUZZ_EXAMPLES` runs more, and `PARLEY_HTTP_FUZZ_REPORT` names a file for the
/// script's JSON report.
@Suite("fuzzing the HTTP routes from the OpenAPI document")
struct HTTPFuzzTests {
    /// `scripts/http-fuzz --json`'s report (the members the test reads).
    struct Report: Decodable, CustomStringConvertible {
        struct Finding: Decodable {
            var kind: String
            var operation: String
            var status: Int?
            var request: String
            var response: String?
            var detail: String?
        }

        var inputs: Int
        var http_5xx: Int
        var undocumented_statuses: Int
        var schema_mismatches: Int
        var crashes: Int
        var timeouts: Int
        var documented_503: Int
        var bystander_ok: Bool?
        var projections_behind: [String: Int]
        var statuses: [String: Int]
        var seed: Int
        var findings: [Finding]

        /// The findings of `kinds`, one a line: what was sent and what came back.
        func findings(_ kinds: String...) -> String {
            self.findings.filter { kinds.contains($0.kind) }
                .map { "\($0.kind) \($0.operation) -> \($0.status.map(String.init) ?? "no answer"): \($0.request)\n  \($0.response ?? "") \($0.detail ?? "")" }
                .joined(separator: "\n")
        }

        var description: String {
            "\(self.inputs) inputs (seed \(self.seed)): \(self.http_5xx) 5xx, \(self.undocumented_statuses) undocumented statuses, "
                + "\(self.schema_mismatches) schema mismatches, \(self.crashes) crashes, \(self.timeouts) timeouts, "
                + "\(self.documented_503) documented 503s, projections behind: \(self.projections_behind), statuses: \(self.statuses)"
        }
    }

    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(
        "generated requests with bad bodies, parameters and tokens: no crash, no undocumented status, no 5xx but described 503s, a bystander unaffected",
        .timeLimit(.minutes(20)))
    func routes() async throws {
        let environment = ProcessInfo.processInfo.environment
        let examples = Int(environment["PARLEY_HTTP_FUZZ_EXAMPLES"] ?? "") ?? 3
        let seed = Int(environment["PARLEY_HTTP_FUZZ_SEED"] ?? "") ?? 0x4854_5450
        // ChildProcess finds `scripts/http-fuzz` by walking up from the test bundle: the checkout's own copy.
        let script = try ChildProcess.executable("scripts/http-fuzz")
        #expect(script.standardizedFileURL.path == Self.root.appendingPathComponent("scripts/http-fuzz").standardizedFileURL.path, "found \(script.path)")
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let bystander = try await StreamClient.live(port: server.port, token: market.otherVendor).client

            let fuzz = try ChildProcess(
                "scripts/http-fuzz",
                [
                    "--url", "http://127.0.0.1:\(server.port)", "--platform-key", ServerProcess.platformKey, "--jwt-secret", ServerProcess.secret,
                    "--max-examples", "\(examples)", "--seed", "\(seed)", "--server-pid", "\(server.child.process.processIdentifier)", "--json",
                ],
                capturingErrors: true)
            // The first run installs schemathesis (about a minute); a run of 3 examples takes 30-60 s,
            // one of 100 (scripts/bench fuzz) 7-9 minutes: the bound grows with the examples asked for.
            let bound = Duration.seconds(max(300, 240 + 8 * examples))
            let deadline = ContinuousClock.now + bound
            while fuzz.process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            if fuzz.process.isRunning {
                fuzz.kill()
                Issue.record("scripts/http-fuzz did not finish within \(bound): \(fuzz.errorOutput.suffix(3_000))")
            }
            let status = await fuzz.wait()
            try #require(
                status != 3,
                "scripts/http-fuzz could not install schemathesis from PyPI (the suite needs PyPI once, then .parley-tools/venv): \(fuzz.errorOutput.suffix(2_000))"
            )
            guard let line = fuzz.output.last(where: { $0.hasPrefix("{") }),
                let report = try? JSONDecoder().decode(Report.self, from: Data(line.utf8))
            else {
                Issue.record("scripts/http-fuzz printed no report (exit \(status)): \(fuzz.output.suffix(5)) \(fuzz.errorOutput.suffix(3_000))")
                return
            }
            if let path = environment["PARLEY_HTTP_FUZZ_REPORT"] {
                try Data(line.utf8).write(to: URL(fileURLWithPath: path))
            }

            // The bystander's stream carried on: a conversation started with it now reaches it, and
            // its inbox (the stored projection) shows the message.
            let started = try await server.http.call(
                "POST", "/v1/conversations", as: .bearer(market.otherBuyer),
                body: #"{"vendorId":"\#(FuzzTests.user(market.otherVendor))","subject":{"kind":"general"}}"#)
            let conversation = started["conversationId"] as? String ?? ""
            let sent = try await server.http.call(
                "POST", "/v1/conversations/\(conversation)/messages", as: .bearer(market.otherBuyer),
                body: #"{"clientMessageId":"http-fuzz-bystander","text":"still there?"}"#)
            let update = try? await bystander.next(timeout: .seconds(10)) { frame in
                frame["type"] as? String == "update" && frame["kind"] as? String == "message.added"
                    && ((frame["data"] as? [String: Any])?["clientMessageId"] as? String) == "http-fuzz-bystander"
            }
            let inbox = try await server.http.call("GET", "/v1/inbox?after=\(sent["offset"] as? Int ?? 1)", as: .bearer(market.otherVendor))
            let row = (inbox["items"] as? [[String: Any]] ?? []).first { $0["conversationId"] as? String == conversation }
            let streamEnded = bystander.hasEnded
            await bystander.close()

            #expect(server.child.process.isRunning, "the server exited during the run: \(report)")
            #expect(report.inputs >= 1_000, "\(report)")
            #expect(report.crashes == 0, "\(report)\n\(report.findings("crashes"))")
            #expect(report.http_5xx == 0, "\(report)\n\(report.findings("http_5xx"))")
            #expect(report.undocumented_statuses == 0, "\(report)\n\(report.findings("undocumented_statuses"))")
            #expect(report.schema_mismatches == 0, "\(report)\n\(report.findings("schema_mismatches"))")
            #expect(report.timeouts == 0, "requests left without an answer: \(report)\n\(report.findings("timeouts"))")
            #expect(report.projections_behind.isEmpty, "stored projections stuck behind the log's head after the run: \(report.projections_behind)")
            #expect(report.bystander_ok == true, "the script's bystander (long-poll and inbox): \(report)")
            #expect(started.status == 201 && sent.status == 201, "bystander's conversation: \(started); message: \(sent)")
            #expect(!streamEnded && update != nil, "the bystander's stream carried on and got the message (ended: \(streamEnded))")
            #expect(inbox.status == 200 && (row?["lastMessage"] as? [String: Any])?["id"] as? String == sent["messageId"] as? String, "bystander's inbox: \(inbox)")
        }
    }
}
