import Foundation
import ParleyTestSupport
import Testing

@Suite("the OpenAPI document and the routes agree")
struct OpenAPITests {
    /// The (method, path template) pairs `schemas/openapi.yaml` documents, read off its layout.
    static func documented(_ yaml: String) -> [(method: String, path: String)] {
        var operations: [(String, String)] = []
        var path: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { break }
            if inPaths, line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()); continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inPaths, let path, line.hasPrefix("    "), !line.hasPrefix("     "),
                ["get:", "post:", "put:", "delete:"].contains(trimmed)
            {
                operations.append((String(trimmed.dropLast()).uppercased(), path))
            }
        }
        return operations
    }

    @Test("every documented operation exists on the server, and the server serves the document at /openapi.yaml")
    func documentedRoutesExist() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let served = try await server.http.call("GET", "/openapi.yaml")
            #expect(served.status == 200)
            #expect(served.text.hasPrefix("openapi: 3.1"))
            let operations = Self.documented(served.text)
            #expect(operations.count >= 29)
            let staff = try await Tokens.user("staff-1", "staff")
            // The two streaming routes never end a response; FallbackTests and the stream tests open them.
            for (method, template) in operations where template != "/v1/stream" && template != "/v1/events" {
                var path = template.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "x-1", options: .regularExpression)
                if template == "/v1/updates" { path += "?wait=0" }
                let caller: Caller = template.hasPrefix("/v1/platform") ? .platform(ServerProcess.platformKey) : .bearer(staff)
                let answer = try await server.http.call(method, path, as: caller, body: method == "GET" || method == "DELETE" ? nil : "{}")
                let message = (answer["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(!(answer.status == 404 && message.hasPrefix("no route")), "\(method) \(template) is documented but not served")
                #expect(answer.status < 500, "\(method) \(template) answered \(answer.status): \(answer)")
            }
        }
    }

    @Test("every route the authorisation matrix calls is documented")
    func matrixRoutesAreDocumented() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schemas/openapi.yaml")
        let documented = Set(Self.documented(try String(contentsOf: file, encoding: .utf8)).map { "\($0.method) \($0.path)" })
        let called = [
            "POST /v1/conversations", "POST /v1/conversations/{conversation}/messages", "GET /v1/conversations/{conversation}/messages",
            "POST /v1/conversations/{conversation}/delivered", "POST /v1/conversations/{conversation}/read",
            "POST /v1/conversations/{conversation}/messages/{message}/flags", "GET /v1/inbox", "GET /v1/unread", "GET /v1/blocks",
            "PUT /v1/blocks/{user}", "DELETE /v1/blocks/{user}", "GET /v1/preferences", "PUT /v1/preferences",
            "PUT /v1/preferences/quiet-hours", "GET /v1/templates", "PUT /v1/templates/{template}", "DELETE /v1/templates/{template}",
            "GET /v1/staff/search", "GET /v1/staff/conversations/{conversation}/timeline", "GET /v1/staff/conversations/{conversation}/views", "GET /v1/staff/orders/{order}/timeline",
            "GET /v1/staff/vendors/{vendor}/metrics", "POST /v1/staff/conversations/{conversation}/messages/{message}/redact",
            "GET /v1/staff/review-queue", "POST /v1/staff/review-queue/{conversation}/{message}/decision",
            "GET /v1/staff/users", "GET /v1/staff/users/{user}/standing", "POST /v1/staff/users/{user}/standing",
            "PUT /v1/platform/listings/{listing}", "PUT /v1/platform/users/{user}", "POST /v1/platform/orders/{order}/state",
            // `/v1/events` streams, so FallbackTests checks its refusals (401, 403) instead.
            "GET /v1/stream", "GET /v1/updates", "GET /v1/events", "GET /health", "GET /ready", "GET /metrics", "GET /openapi.yaml",
        ]
        #expect(called.filter { !documented.contains($0) } == [])
        #expect(documented.count == called.count)
    }
}
