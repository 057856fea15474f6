import Foundation
import ParleyTestSupport
import Testing

/// `parley moderate`: the server's pipeline on JSON lines, as a separate process.
@Suite("parley moderate")
struct ModerateCommandTests {
    /// Runs `parley moderate` with `arguments` on `input` (as --input); its exit status, stdout lines and stderr.
    static func run(_ input: String, _ arguments: [String] = []) async throws -> (status: Int32, lines: [String], error: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-\(UUID().uuidString).jsonl")
        try input.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await Self.run(arguments: ["--input", file.path] + arguments)
    }

    /// Runs `parley moderate` with `arguments`, `standardInput` piped to it when given.
    static func run(arguments: [String], standardInput: Data? = nil) async throws -> (status: Int32, lines: [String], error: String) {
        let process = try ChildProcess("parley", ["moderate"] + arguments, capturingErrors: true, standardInput: standardInput)
        let status = await process.wait()
        return (status, process.output, process.errorOutput)
    }

    /// Expects the one `Error:` line of a refused input that says `mentions`, a non-zero exit and no decisions.
    static func expectRefused(_ result: (status: Int32, lines: [String], error: String), mentioning mentions: String) {
        #expect(result.status != 0)
        #expect(result.lines.isEmpty)
        let errors = result.error.split(separator: "\n")
        #expect(errors.count == 1 && errors.first?.hasPrefix("Error: ") == true && errors.first?.contains(mentions) == true, "\(result.error)")
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("one decision per line, in order, with flagged, classes, action and spans; context and order change the decision")
    func decisions() async throws {
        let input = """
            {"text":"call me on 07911 123456"}
            {"text":"it's 45 EUR, meet at 5"}

            {"text":"456","context":["my number is 0791","1 123"]}
            {"text":"call me on 07911 123456","orderExists":true}
            {"text":"see www.parley.market/help or bestdeals.io"}
            """
        let result = try await Self.run(input, ["--allowed-domain", "parley.market"])
        #expect(result.status == 0, "\(result.error)")
        let lines = try result.lines.map(Self.object)
        #expect(lines.count == 5)
        #expect(lines.map { $0["flagged"] as? Bool } == [true, false, true, true, true])
        #expect(lines.map { $0["action"] as? String } == ["bounce", "allow", "bounce", "allow_after_match", "bounce"])
        #expect(lines.map { $0["classes"] as? [String] } == [["phone_number"], [], ["phone_number"], ["phone_number"], ["external_link"]])
        let span = try #require((lines[0]["spans"] as? [[String: Any]])?.first)
        #expect(span["start"] as? Int == 11 && span["length"] as? Int == 12 && span["class"] as? String == "phone_number")
        #expect((lines[4]["spans"] as? [[String: Any]])?.count == 1)
    }

    @Test("--order-exists and the policy options decide as the server would")
    func policy() async throws {
        let input = #"{"text":"call me on 07911 123456"}"#
        let ordered = try await Self.run(input, ["--order-exists"])
        #expect(try ordered.lines.map(Self.object).first?["action"] as? String == "allow_after_match")
        let masked = try await Self.run(input, ["--contact-before-order", "mask"])
        let line = try #require(try masked.lines.map(Self.object).first)
        #expect(line["action"] as? String == "mask")
        #expect(line["maskedText"] as? String == "call me on [hidden]")
    }

    @Test("bad input: one Error: line naming the line, exit 1, and no decisions written", arguments: [
        (#"{"text":"fine"}"# + "\n" + "{nope", "line 2"),
        (#"{"text":"fine"}"# + "\n" + #"{"txt":"x"}"#, "`text` is missing"),
        (#"{"text":7}"#, "wrong type"),
        ("[1,2]", "not an object"),
    ])
    func badInput(input: String, mentions: String) async throws {
        let result = try await Self.run(input)
        #expect(result.status == 1)
        Self.expectRefused(result, mentioning: mentions)
    }

    @Test("without --input it reads standard input to its end and decides each line in order", .timeLimit(.minutes(1)))
    func standardInput() async throws {
        let input = #"{"text":"call me on 07911 123456"}"# + "\n" + #"{"text":"it's 45 EUR, meet at 5"}"# + "\n"
        let result = try await Self.run(arguments: [], standardInput: Data(input.utf8))
        #expect(result.status == 0, "\(result.error)")
        let lines = try result.lines.map(Self.object)
        #expect(lines.map { $0["action"] as? String } == ["bounce", "allow"])
        #expect(lines.map { $0["flagged"] as? Bool } == [true, false])
    }

    @Test("an --input that cannot be read (missing, a folder) and input that is not UTF-8: one Error: line, non-zero exit", .timeLimit(.minutes(1)))
    func unreadableInput() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-missing-\(UUID().uuidString).jsonl").path
        Self.expectRefused(try await Self.run(arguments: ["--input", missing]), mentioning: "cannot read --input \(missing)")
        let folder = FileManager.default.temporaryDirectory.path
        Self.expectRefused(try await Self.run(arguments: ["--input", folder]), mentioning: "cannot read --input")
        // "café" in Latin-1, then a lone continuation byte: not UTF-8, by pipe and by file alike.
        let latin1 = Data(#"{"text":"caf"#.utf8) + Data([0xE9, 0x80]) + Data(#""}"#.utf8) + Data([0x0A])
        Self.expectRefused(try await Self.run(arguments: [], standardInput: latin1), mentioning: "not UTF-8")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-\(UUID().uuidString).jsonl")
        try latin1.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        Self.expectRefused(try await Self.run(arguments: ["--input", file.path]), mentioning: "not UTF-8")
    }

    @Test("an unknown action or a negative escalation step is refused before anything runs", arguments: [
        ["--contact-before-order", "explode"], ["--hold-at-attempt=-1"], ["--warn-at-attempt", "two"],
    ])
    func badOption(arguments: [String]) async throws {
        let result = try await Self.run(#"{"text":"x"}"#, arguments)
        #expect(result.status != 0)
        #expect(result.lines.isEmpty)
        #expect(result.error.contains("Error:"))
    }
}
