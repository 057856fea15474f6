import EventLog
import Foundation
import ParleyTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// GETs `path` from a server on loopback; returns the status and the JSON body.
func get(_ port: Int, _ path: String) async throws -> (status: Int, body: [String: Any]) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return (status, body)
}

@Suite("parley serve over real sockets")
struct ServeTests {
    @Test("the server starts on a database, answers /health and /ready over HTTP, and stops on SIGTERM")
    func healthAndReadiness() async throws {
        try await TestDatabase.with { url in
            let port = Int.random(in: 20_000...40_000)
            let server = try ChildProcess("parley", ["serve", "--database-url", url.urlString, "--port", "\(port)"])
            defer { if server.process.isRunning { server.kill() } }
            var health: (status: Int, body: [String: Any])?
            for _ in 0..<200 where health == nil {
                health = try? await get(port, "/health")
                if health == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(health?.status == 200)
            #expect(health?.body["status"] as? String == "ok")
            let ready = try await get(port, "/ready")
            #expect(ready.status == 200)
            #expect(ready.body["status"] as? String == "ready")
            #expect((ready.body["projections"] as? [String: Any])?.count == 6)
            let missing = try await get(port, "/no-such-route")
            #expect(missing.status == 404)
            server.process.terminate()
            #expect(await server.wait() == 0)
            #expect(server.output.contains { $0.contains("parley is listening on http://127.0.0.1:\(port)") })
        }
    }
}
