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
    /// The hourly message limit of new accounts is lifted unless `arguments` set it: the users of
    /// a test are seconds old and most tests post more than a real new account may
    /// (`NewAccountTests` test the limit).
    /// Without a `port` it picks one, and picks again when another process holds it (tests run in
    /// parallel): the server must say it listens, so a test never talks to another test's server.
    /// `environment` adds variables to the server's environment.
    init(url: DatabaseURL, arguments: [String] = [], port: Int? = nil, keys: [String]? = nil, environment: [String: String] = [:]) async throws {
        for _ in 0..<(port == nil ? 5 : 1) {
            // Below the ephemeral range (32768 and up), where client sockets could hold the port.
            let candidate = port ?? Int.random(in: 20_000...32_000)
            let child = try ChildProcess(
                "parley",
                ["serve", "--database-url", url.urlString, "--port", "\(candidate)", "--platform-key", Self.platformKey]
                    + (keys ?? ["--jwt-secret", Self.secret])
                    + (arguments.contains("--new-account-messages-per-hour") ? [] : ["--new-account-messages-per-hour", "1000000"]) + arguments,
                environment: environment.merging(["LOG_LEVEL": "warning"]) { $1 })
            let banner = "parley is listening on http://127.0.0.1:\(candidate)"
            for _ in 0..<800 where child.process.isRunning && !child.output.contains(where: { $0.hasPrefix(banner) }) {
                try await Task.sleep(for: .milliseconds(25))
            }
            guard child.process.isRunning else { continue }
            (self.port, self.child) = (candidate, child)
            for _ in 0..<400 {
                if let ready = try? await HTTP(port: self.port).call("GET", "/ready"), ready.status == 200 { return }
                try await Task.sleep(for: .milliseconds(25))
            }
            self.child.kill()
            throw TestSetupError("parley serve did not become ready on port \(self.port): \(self.child.output)")
        }
        throw TestSetupError("parley serve could not listen on a free port")
    }

    var http: HTTP { HTTP(port: self.port) }

    /// Sends SIGTERM and waits for the exit status.
    func stop() async -> Int32 {
        self.child.process.terminate()
        return await self.child.wait()
    }

    deinit { if self.child.process.isRunning { self.child.kill() } }
}
