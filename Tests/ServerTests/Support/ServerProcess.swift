import EventLog
import Foundation
import ParleyTestSupport

/// A `parley serve` process on a test database, with a known token secret and platform key.
final class ServerProcess: Sendable {
    static let secret = "test-secret-of-at-least-thirty-two-bytes!"
    static let platformKey = "test-platform-key"

    let port: Int
    let child: ChildProcess

    /// Starts a server on `url` and waits until it is ready; `keys` replace the HS256 secret.
    init(url: DatabaseURL, arguments: [String] = [], port: Int? = nil, keys: [String]? = nil) async throws {
        // Below the ephemeral range (32768 and up), where client sockets could hold the port.
        self.port = port ?? Int.random(in: 20_000...32_000)
        self.child = try ChildProcess(
            "parley",
            ["serve", "--database-url", url.urlString, "--port", "\(self.port)", "--platform-key", Self.platformKey]
                + (keys ?? ["--jwt-secret", Self.secret]) + arguments,
            environment: ["LOG_LEVEL": "warning"])
        for _ in 0..<400 {
            if let ready = try? await HTTP(port: self.port).call("GET", "/ready"), ready.status == 200 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        self.child.kill()
        throw TestSetupError("parley serve did not become ready on port \(self.port): \(self.child.output)")
    }

    var http: HTTP { HTTP(port: self.port) }

    /// Sends SIGTERM and waits for the exit status.
    func stop() async -> Int32 {
        self.child.process.terminate()
        return await self.child.wait()
    }

    deinit { if self.child.process.isRunning { self.child.kill() } }
}
