import EventLog
import Foundation
import ParleyTestSupport
import Testing

@Suite("parley serve over real sockets")
struct ServeTests {
    @Test("the server starts on a database, answers /health and /ready over HTTP, and stops on SIGTERM")
    func healthAndReadiness() async throws {
        try await TestDatabase.with { url in
            let port = Int.random(in: 20_000...32_000)
            let server = try ChildProcess("parley", ["serve", "--database-url", url.urlString, "--port", "\(port)"])
            defer { if server.process.isRunning { server.kill() } }
            var health: Answer?
            for _ in 0..<200 where health == nil {
                health = try? await HTTP(port: port).call("GET", "/health")
                if health == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(health?.status == 200)
            #expect(health?.body["status"] as? String == "ok")
            // Listening comes before ready: the projectors start after the server binds its port.
            var ready = try await HTTP(port: port).call("GET", "/ready")
            for _ in 0..<1_200 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(50))
                ready = try await HTTP(port: port).call("GET", "/ready")
            }
            #expect(ready.status == 200)
            #expect(ready.body["status"] as? String == "ready")
            #expect((ready.body["projections"] as? [String: Any])?.count == 9)
            let missing = try await HTTP(port: port).call("GET", "/no-such-route")
            #expect(missing.status == 404)
            server.process.terminate()
            #expect(await server.wait() == 0)
            #expect(server.output.contains { $0.contains("parley is listening on http://127.0.0.1:\(port)") })
        }
    }

    @Test("with no database URL the server creates and starts its own PostgreSQL in the data folder, in a 0700 folder too")
    func ownDatabase() async throws {
        // A private folder (as `mktemp -d` makes): as root, the cluster's owner `parley` cannot enter it.
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("parley-own-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let folder = data.appendingPathComponent("pg")
        // Listening ports stay below the ephemeral range (32768 and up), where client sockets could hold them.
        let (port, databasePort) = (Int.random(in: 12_000...15_999), Int.random(in: 16_000...19_999))
        let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/db")
        defer {
            let stop = Process()
            stop.executableURL = scripts
            stop.arguments = ["stop"]
            stop.environment = ProcessInfo.processInfo.environment.merging(
                ["PARLEY_PG_DIR": folder.path, "PARLEY_PG_PORT": "\(databasePort)"]) { $1 }
            try? stop.run()
            stop.waitUntilExit()
            // Data the server placed elsewhere (where `parley` can reach it) goes too.
            if let placed = try? FileManager.default.destinationOfSymbolicLink(atPath: folder.path) {
                try? FileManager.default.removeItem(at: URL(fileURLWithPath: placed).deletingLastPathComponent())
            }
            try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
        }
        let server = try ChildProcess(
            "parley", ["serve", "--data-folder", data.path, "--local-port", "\(databasePort)", "--port", "\(port)"],
            environment: ["PARLEY_DATABASE_URL": nil])
        defer { if server.process.isRunning { server.kill() } }
        var ready: Answer?
        for _ in 0..<1_800 where ready?.status != 200 {
            ready = try? await HTTP(port: port).call("GET", "/ready")
            if ready?.status != 200 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready?.status == 200)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("PG_VERSION").path))
        server.process.terminate()
        #expect(await server.wait() == 0)
    }
}
