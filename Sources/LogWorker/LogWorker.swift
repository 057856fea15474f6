import ArgumentParser
@_spi(Testing) import EventLog
import Foundation
import Logging

/// Appends to a Parley log from its own OS process and prints, line by line and flushed, what
/// each append got: `ACK key position`, `CONFLICT key actual-version` or `ROLLBACK key`.
/// The concurrency and crash tests run several of these at once and kill some with SIGKILL.
@main
struct LogWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-log-worker",
        abstract: "Append test traffic to a Parley event log from a separate process (used by the tests).")

    @Option(help: "Database URL.") var url: String
    @Option(help: "This worker's name; it prefixes every key and stream.") var name: String
    @Option(help: "How many appends to make.") var count: Int = 200
    @Option(help: "How many appends are in flight at once.") var concurrency: Int = 8
    @Option(help: "Every n-th append goes to the shared stream with an exact expected version (0: never).") var sharedEvery: Int = 5
    @Option(help: "Every n-th append is written and then rolled back (0: never).") var rollbackEvery: Int = 0

    func run() async throws {
        var logger = Logger(label: "parley-log-worker")
        logger.logLevel = .error
        let log = EventLog(url: try DatabaseURL(self.url), logger: logger)
        let shared = try StreamName(category: "shared", id: "counter")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            try await withThrowingTaskGroup(of: Void.self) { appends in
                for lane in 0..<self.concurrency {
                    appends.addTask {
                        for i in stride(from: lane, to: self.count, by: self.concurrency) {
                            try await self.appendOne(i, log: log, shared: shared)
                        }
                    }
                }
                try await appends.waitForAll()
            }
            group.cancelAll()
        }
    }

    private func appendOne(_ i: Int, log: EventLog, shared: StreamName) async throws {
        let key = "\(self.name)-\(i)"
        let payload = Array(#"{"worker":"\#(self.name)","n":\#(i),"text":"héllo 👋"}"#.utf8)
        let event = EventData(type: "TestAppended", payload: payload, metadata: EventMetadata(actor: self.name), idempotencyKey: key)
        if self.rollbackEvery > 0, i % self.rollbackEvery == 0 {
            try await log.appendThenRollBack(AppendRequest(stream: try StreamName(category: "rolledback", id: key), events: [event]))
            Self.say("ROLLBACK \(key)")
            return
        }
        if self.sharedEvery > 0, i % self.sharedEvery == 0 {
            let version = try await log.version(of: shared)
            let outcome: Result<AppendResult, EventLogError>
            do {
                outcome = .success(try await log.append([event], to: shared, expecting: .exactly(version)))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let result):
                Self.say("ACK \(key) \(result.lastPosition)")
            case .failure(let error) where error.code == .wrongExpectedVersion:
                Self.say("CONFLICT \(key) \(error.actualVersion?.version ?? -1)")
            case .failure(let error):
                throw error
            }
            return
        }
        let stream = try StreamName(category: "worker", id: "\(self.name)-\(i % 3)")
        let result = try await log.append([event], to: stream)
        Self.say("ACK \(key) \(result.lastPosition)")
    }

    private static let output = FileHandle.standardOutput

    private static func say(_ line: String) {
        Self.output.write(Data((line + "\n").utf8))
    }
}
