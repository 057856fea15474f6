import ArgumentParser

/// `parley-replay`: the analysts' and dispute staff's tool over the log — verify the hash chain,
/// count what it holds, show a dispute timeline.
@main
struct ParleyReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-replay",
        abstract: "Replay, inspect and verify Parley's event log.",
        subcommands: [ImportCommand.self, ProjectCommand.self, RebuildCommand.self, VerifyCommand.self, StatsCommand.self, TimelineCommand.self])
}
