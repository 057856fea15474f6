import ArgumentParser

/// `parley-bench`: load harnesses for Parley's performance targets. `scripts/bench NAME` runs them
/// against a PostgreSQL cluster of their own.
@main
struct ParleyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Parley benchmarks (run through scripts/bench).",
        subcommands: [EventLogBench.self, ProjectionsBench.self, ServerBench.self, InboxBench.self])
}
