public import EventLog
public import Foundation

/// One of the package's executables (`parley-log-worker`, `parley-replay`) run as a separate OS
/// process, its stdout collected line by line, for tests that need several processes or SIGKILL.
public final class ChildProcess: @unchecked Sendable {
    /// The process.
    public let process = Process()
    private let pipe = Pipe()
    private let lock = NSLock()
    private var buffer = Data()
    private var lines: [String] = []
    private var errors = Data()
    /// The output pipes (stdout, and stderr when captured) not yet at their end.
    private var openPipes = 1

    /// The executable `name`, built beside the test bundle by `swift build --build-tests`.
    public static func executable(_ name: String) throws -> URL {
        let me = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        var folder = me.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw TestSetupError("\(name) is not built; run swift build --build-tests")
    }

    /// Starts `name` with `arguments`; with `capturingErrors` its stderr is collected (see
    /// ``errorOutput``), else it goes to the test's. `environment` sets (or, with nil, removes)
    /// variables of the test's environment. With `standardInput` the child reads those bytes,
    /// then the end of its input, on stdin; without it, it shares the test's.
    ///
    /// Output is collected as it arrives, never by reading a pipe to its end: a child started
    /// at the same moment by another test can inherit the pipe's write end and keep it open, and a
    /// blocking read would then hold one of the few threads every test shares. For the same reason
    /// the stdin pipe's write end is closed on exec: no other child keeps the input from ending.
    public init(
        _ name: String, _ arguments: [String], capturingErrors: Bool = false, environment: [String: String?] = [:],
        standardInput: Data? = nil
    ) throws {
        self.process.executableURL = try Self.executable(name)
        self.process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        for (key, value) in environment { variables[key] = value }
        self.process.environment = variables
        self.process.standardOutput = self.pipe
        if capturingErrors {
            let errorPipe = Pipe()
            self.process.standardError = errorPipe
            self.openPipes += 1
            errorPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, self.more(data, from: handle) else { return }
                self.lock.withLock { self.errors.append(data) }
            }
        }
        self.pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, self.more(data, from: handle) else { return }
            self.lock.withLock {
                self.buffer.append(data)
                while let newline = self.buffer.firstIndex(of: 0x0A) {
                    self.lines.append(String(decoding: self.buffer[self.buffer.startIndex..<newline], as: UTF8.self))
                    self.buffer.removeSubrange(self.buffer.startIndex...newline)
                }
            }
        }
        let input = standardInput.map { _ in Pipe() }
        if let input {
            _ = fcntl(input.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
            self.process.standardInput = input
        }
        try self.process.run()
        if let input, let standardInput {
            try input.fileHandleForWriting.write(contentsOf: standardInput)
            try input.fileHandleForWriting.close()
        }
    }

    /// Whether `data` read from `handle` is more output; at the pipe's end, counts it closed and stops reading.
    private func more(_ data: Data, from handle: FileHandle) -> Bool {
        guard data.isEmpty else { return true }
        handle.readabilityHandler = nil
        self.lock.withLock { self.openPipes -= 1 }
        return false
    }

    /// A `parley-log-worker` appending to the log at `url` (see its --help).
    public static func logWorker(
        url: DatabaseURL, name: String, count: Int, sharedEvery: Int = 5, rollbackEvery: Int = 0, concurrency: Int = 8
    ) throws -> ChildProcess {
        try ChildProcess("parley-log-worker", [
            "--url", url.urlString, "--name", name, "--count", "\(count)", "--shared-every", "\(sharedEvery)",
            "--rollback-every", "\(rollbackEvery)", "--concurrency", "\(concurrency)",
        ])
    }

    /// What the process wrote on stderr so far (with `capturingErrors`).
    public var errorOutput: String { self.lock.withLock { String(decoding: self.errors, as: UTF8.self) } }

    /// The complete lines printed so far.
    public var output: [String] { self.lock.withLock { self.lines } }

    /// Keys a log worker acknowledged so far, with the position each got.
    public var acknowledged: [String: Int64] {
        var acks: [String: Int64] = [:]
        for line in self.output {
            let parts = line.split(separator: " ")
            if parts.count == 3, parts[0] == "ACK", let position = Int64(parts[2]) { acks[String(parts[1])] = position }
        }
        return acks
    }

    /// Waits for the process to end and returns its exit status.
    public func wait() async -> Int32 {
        while self.process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        // Let the last output arrive: until the output pipes end, or 2 s (a child another test
        // started at the same moment may hold a write end open).
        for _ in 0..<100 where self.lock.withLock({ self.openPipes > 0 }) { try? await Task.sleep(for: .milliseconds(20)) }
        return self.process.terminationStatus
    }

    /// Sends SIGKILL.
    public func kill() { Foundation.kill(self.process.processIdentifier, SIGKILL) }
}

extension DatabaseURL {
    /// The URL as text, password included (tests use trust authentication).
    public var urlString: String { "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database)" }
}
