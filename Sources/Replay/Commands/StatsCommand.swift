import ArgumentParser
import EventLog
import Foundation

/// `parley-replay stats`: events by type, bytes stored and raw, compression ratio.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Count the log's events by type, with stored and raw bytes and the compression ratio.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let stats = try await self.database.withLog { log in try await log.statistics() }
        let width = max(24, stats.types.map { $0.type.count + 4 }.max() ?? 0)
        func row(_ name: String, _ events: Int64, _ stored: Int64, _ raw: Int64) -> String {
            let ratio = stored == 0 ? 1 : Double(raw) / Double(stored)
            return name.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "%12lld %14lld %14lld %7.2fx", events, stored, raw, ratio)
        }
        print("type".padding(toLength: width, withPad: " ", startingAt: 0)
            + String(format: "%12@ %14@ %14@ %8@", "events", "stored bytes", "raw bytes", "ratio"))
        for type in stats.types {
            print(row("\(type.type) v\(type.schemaVersion)", type.events, type.storedBytes, type.rawBytes))
        }
        print(row("total", stats.events, stats.storedBytes, stats.rawBytes))
        let perEvent = stats.events == 0 ? 0 : Double(stats.tableBytes) / Double(stats.events)
        print(String(format: "events table on disk: %lld bytes (%.0f bytes per event, indexes included)", stats.tableBytes, perEvent))
    }
}
