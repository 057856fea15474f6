import Foundation
import ParleyTestSupport
import Testing

/// README's commands start their PostgreSQL through `scripts/db`; a newcomer may run them from any
/// folder, a private one included.
@Suite("the project's scripts, from any folder")
struct ScriptsTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `scripts/db` with `arguments` and the variables in `environment`; its status and output
    /// (stdout and stderr, through a file: a pipe could be held open by another test's child).
    private static func db(_ arguments: [String], _ environment: [String: String], log: URL) async throws -> (status: Int32, output: String) {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw TestSetupError("cannot create \(log.path)") }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent("scripts/db")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test("scripts/db creates, starts, answers and stops a cluster whose data folder is inside a 0700 folder", .timeLimit(.minutes(2)))
    func clusterInPrivateFolder() async throws {
        // Short names: the server's socket lands in the data folder, and a socket's path has at most 107 bytes.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ps-\(UUID().uuidString.prefix(8))")
        let base = scratch.appendingPathComponent("b")
        let checkout = scratch.appendingPathComponent("p")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Ports 9,000–9,999: servers (20,000 and up) and the other tests' clusters (10,000–19,999) take none.
        let environment = [
            "PARLEY_PG_DIR": checkout.appendingPathComponent(".parley/pg").path, "PARLEY_PG_PORT": "\(Int.random(in: 9_000...9_999))",
            "PARLEY_PG_BASE": base.path, "PARLEY_PG_OPTIONS": "-c fsync=off",
        ]
        let log = scratch.appendingPathComponent("db.log")
        defer {
            // Should the test stop early, the cluster stops before its folder goes.
            let stop = Process()
            stop.executableURL = Self.root.appendingPathComponent("scripts/db")
            stop.arguments = ["stop"]
            stop.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            try? stop.run()
            stop.waitUntilExit()
        }
        let started = try await Self.db(["start"], environment, log: log)
        #expect(started.status == 0, "\(started.output)")
        let answer = try await Self.db(["psql", "-tAc", "SELECT 40 + 2"], environment, log: log)
        #expect(answer.status == 0 && answer.output.contains("42"), "\(answer.output)")
        let status = try await Self.db(["status"], environment, log: log)
        #expect(status.status == 0, "\(status.output)")
        let stopped = try await Self.db(["stop"], environment, log: log)
        #expect(stopped.status == 0, "\(stopped.output)")
        let after = try await Self.db(["psql", "-tAc", "SELECT 1"], environment, log: log)
        #expect(after.status != 0, "stopped: \(after.output)")
    }
}
