import ArgumentParser
import Foundation
import Moderation

/// `parley moderate`: the server's moderation pipeline on JSON lines, for operators tuning a
/// policy and analysts measuring it.
///
/// Each input line is an object with `text` and, optionally, `context` (the sender's previous
/// messages in the conversation, oldest first) and `orderExists`. Each output line, in input
/// order: `flagged`, `classes`, `action`, `spans`, `confidence`, `statementOfReasons` and, for
/// `mask`, `maskedText`. The whole input is checked before anything is written: a bad line is
/// one `Error:` line naming it and exit status 1, with no output.
struct ModerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moderate", abstract: "Run the moderation pipeline on JSON lines ({\"text\": ...}) and print its decisions.")

    @Option(help: "A file of JSON lines. Default: standard input.") var input: String?
    @Flag(help: "Decide as if an order linked buyer and vendor (for lines without `orderExists`).") var orderExists = false
    @OptionGroup(title: "Moderation policy") var moderation: ModerationOptions

    /// One input line.
    struct Line: Decodable {
        var text: String
        var context: [String]?
        var orderExists: Bool?
    }

    func run() throws {
        let data: Data
        if let input = self.input {
            guard let contents = FileManager.default.contents(atPath: input) else {
                throw InputError(description: "cannot read --input \(input)")
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        let lines = try Self.parse(data)
        let moderator = Moderator(policy: self.moderation.policy)
        var output = Data()
        for line in lines {
            let decision = moderator.examine(
                line.text, window: ConversationWindow(previousMessages: line.context ?? []), orderExists: line.orderExists ?? self.orderExists)
            output.append(try Self.encoder.encode(Decided(decision)))
            output.append(0x0A)
        }
        FileHandle.standardOutput.write(output)
    }

    /// Input the command cannot read: printed as one `Error:` line (no usage text), exit status 1.
    struct InputError: Error, CustomStringConvertible {
        let description: String
    }

    /// Every non-blank line decoded, or an ``InputError`` naming the first bad one.
    static func parse(_ data: Data) throws -> [Line] {
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(description: "the input is not UTF-8") }
        var lines: [Line] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            do {
                lines.append(try JSONDecoder().decode(Line.self, from: Data(trimmed.utf8)))
            } catch {
                throw InputError(description: "line \(number + 1): not an object with a string `text` (\(Self.describe(error)))")
            }
        }
        return lines
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "the member `\(key.stringValue)` is missing"
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty: "the line is not an object"
        case DecodingError.typeMismatch(_, let context): "`\(context.codingPath.map(\.stringValue).joined(separator: "."))` has the wrong type"
        case DecodingError.valueNotFound(_, let context): "`\(context.codingPath.map(\.stringValue).joined(separator: "."))` is null"
        default: "malformed JSON"
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// One output line.
    struct Decided: Encodable {
        struct Span: Encodable {
            var start: Int
            var length: Int
            var `class`: String
            var rule: String
            var confidence: Double
        }

        var flagged: Bool
        var classes: [String]
        var action: String
        var spans: [Span]
        var confidence: Double
        var statementOfReasons: String
        var maskedText: String?

        init(_ decision: ModerationDecision) {
            self.flagged = decision.flagged
            self.classes = decision.classes.map(\.rawValue)
            self.action = decision.action.rawValue
            self.spans = decision.matches.map {
                Span(start: $0.span.start, length: $0.span.length, class: $0.contactClass.rawValue, rule: $0.rule, confidence: $0.confidence)
            }
            self.confidence = decision.confidence
            self.statementOfReasons = decision.statementOfReasons
            self.maskedText = decision.maskedText
        }
    }
}
