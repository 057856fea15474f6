import EventLog
import Foundation

/// A `parley-log-worker` process: appends from its own OS process and reports each append on stdout.
final class Worker: @unchecked Sendable {
    let process = Process()
    private let pipe = Pipe()
    private let lock = NSLock()
    private var buffer = Data()
    private var lines: [String] = []

    /// The worker executable, built beside the test bundle by `swift build --build-tests`.
    static var executable: URL {
        get throws {
            let me = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            var folder = me.deletingLastPathComponent()
            while folder.path != "/" {
                let candidate = folder.appendingPathComponent("parley-log-worker")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            throw TestSetupError("parley-log-worker is not built; run swift build --build-tests")
        }
    }

    init(url: DatabaseURL, name: String, count: Int, sharedEvery: Int = 5, rollbackEvery: Int = 0, concurrency: Int = 8) throws {
        self.process.executableURL = try Self.executable
        self.process.arguments = [
            "--url", "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database)", "--name", name,
            "--count", "\(count)", "--shared-every", "\(sharedEvery)", "--rollback-every", "\(rollbackEvery)",
            "--concurrency", "\(concurrency)",
        ]
        self.process.standardOutput = self.pipe
        self.pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock {
                self.buffer.append(data)
                while let newline = self.buffer.firstIndex(of: 0x0A) {
                    self.lines.append(String(decoding: self.buffer[self.buffer.startIndex..<newline], as: UTF8.self))
                    self.buffer.removeSubrange(self.buffer.startIndex...newline)
                }
            }
        }
        try self.process.run()
    }

    /// The complete lines printed so far.
    var output: [String] { self.lock.withLock { self.lines } }

    /// Keys acknowledged so far, with the position each got.
    var acknowledged: [String: Int64] {
        var acks: [String: Int64] = [:]
        for line in self.output {
            let parts = line.split(separator: " ")
            if parts.count == 3, parts[0] == "ACK", let position = Int64(parts[2]) { acks[String(parts[1])] = position }
        }
        return acks
    }

    /// Waits for the process to end and returns its exit status.
    func wait() async -> Int32 {
        while self.process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        // Let the last output arrive.
        try? await Task.sleep(for: .milliseconds(50))
        return self.process.terminationStatus
    }

    /// Sends SIGKILL.
    func kill() { Foundation.kill(self.process.processIdentifier, SIGKILL) }
}
