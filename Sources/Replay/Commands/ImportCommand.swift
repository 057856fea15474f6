import ArgumentParser
import EventLog
import Foundation
import Projections

/// `parley-replay import FILE`: appends the corpus's actions (`scripts/corpus.py`) as catalogue
/// events through the log's bulk path, in file order (``CorpusImport``): importing the same file
/// again writes nothing twice. Messages are appended as given, without moderation: this imports
/// history, it is not a send path.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Append a corpus file (one JSON action per line, as scripts/corpus.py writes) to the log.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The corpus file.") var file: String

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: self.file) else {
            throw ValidationError("cannot read \(self.file)")
        }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: self.file) else { throw ReplayFailure("cannot read \(self.file)") }
        let corpus: CorpusImport
        do {
            corpus = try CorpusImport(
                lines: data.split(separator: 0x0A, omittingEmptySubsequences: false), source: URL(fileURLWithPath: self.file).lastPathComponent,
                path: self.file)
        } catch {
            throw ReplayFailure(error.message)
        }
        let progress = Progress(total: corpus.events, label: "imported")
        let (appended, duplicates) = try await self.database.withLog { log in
            try await corpus.append(to: log) { progress.update($0) }
        }
        progress.finish()
        print("imported \(self.file): \(appended) events appended, \(duplicates) already in the log")
    }
}
