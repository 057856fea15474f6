import ArgumentParser
import EventLog
import Foundation
import Projections

/// `parley-replay import FILE`: appends the corpus's actions (`scripts/corpus.py`) as catalogue events through
/// the normal append API, in file order. Every event gets an idempotency key (a message's own,
/// else `import:<file name>:<line>`), so importing the same file again writes nothing twice.
/// Messages are appended as given, without moderation: this imports history, it is not a send path.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Append a corpus file (one JSON action per line, as scripts/corpus.py writes) to the log.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The corpus file.") var file: String

    /// Events per append: the log's default batch bound, so one request fills one group commit.
    static let eventsPerAppend = EventLog.Configuration().maxBatchEvents

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: self.file) else {
            throw ValidationError("cannot read \(self.file)")
        }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: self.file) else { throw ReplayFailure("cannot read \(self.file)") }
        let name = URL(fileURLWithPath: self.file).lastPathComponent
        var events: [(stream: StreamName, event: EventData)] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do {
                let mapped = try CorpusEvent(line: Array(line))
                var data = mapped.eventData
                data.idempotencyKey = data.idempotencyKey ?? "import:\(name):\(index + 1)"
                events.append((mapped.stream, data))
            } catch {
                throw ReplayFailure("\(self.file):\(index + 1): \(error.message)")
            }
        }
        let total = events.count
        // Large requests: each is one round trip and one transaction, its events in file order.
        let requests = AppendRequest.preservingOrder(events, maxEvents: Self.eventsPerAppend)
        let progress = Progress(total: total, label: "imported")
        let (appended, duplicates) = try await self.database.withLog { log in
            var appended = 0
            var duplicates = 0
            var done = 0
            for request in requests {
                let result = try await log.append(request)
                if result.deduplicated { duplicates += result.events.count } else { appended += result.events.count }
                done += result.events.count
                progress.update(done)
            }
            return (appended, duplicates)
        }
        progress.finish()
        print("imported \(self.file): \(appended) events appended, \(duplicates) already in the log")
    }
}
