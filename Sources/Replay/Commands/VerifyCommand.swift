import ArgumentParser
import EventLog

/// `parley-replay verify`: recomputes the hash chain and names the first position that breaks.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chain over a range of positions; exit 1 if it is broken.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "First position to check.") var from: Int64 = 1
    @Option(help: "Last position to check (default: the head).") var to: Int64?

    func validate() throws {
        guard self.from >= 1 else { throw ValidationError("--from must be 1 or more; got \(self.from)") }
        if let to = self.to, to < self.from { throw ValidationError("--to (\(to)) must not be below --from (\(self.from))") }
    }

    func run() async throws {
        let (from, to) = (self.from, self.to)
        let report = try await self.database.withLog { log in try await log.verify(from: from, to: to) }
        print(VerifyCommand.describe(report))
        if !report.isIntact { throw ExitCode.failure }
    }

    /// One line saying what `verify` found.
    static func describe(_ report: VerifyReport) -> String {
        if let broken = report.firstBrokenPosition {
            return "broken at position \(broken): \(report.problem ?? "hash mismatch") (\(report.checked) events before it are intact)"
        }
        return report.checked == 0
            ? "nothing to verify in positions \(report.from)…\(report.to)"
            : "intact: positions \(report.from)…\(report.to), \(report.checked) events, hash chain verified"
    }
}
