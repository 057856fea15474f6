import ArgumentParser

/// `parley`: the Parley server.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Parley: event-sourced messaging for marketplaces.",
        subcommands: [ServeCommand.self, TokenCommand.self, ModerateCommand.self],
        defaultSubcommand: ServeCommand.self)
}
