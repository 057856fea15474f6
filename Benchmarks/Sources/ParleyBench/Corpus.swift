import EventLog
import Foundation

/// Marketplace activity from the project's generator (`scripts/corpus.py`), as events to append.
struct Corpus {
    struct Item {
        var stream: StreamName
        var event: EventData
    }

    var items: [Item]

    /// Generates at least `events` actions and keeps the first `events`.
    static func load(events: Int, generator: String) throws -> Corpus {
        Corpus(items: try Self.lines(events: events, generator: generator).map(Self.item))
    }

    /// The first `events` lines (JSON actions) the generator writes.
    static func lines(events: Int, generator: String) throws -> [Data] {
        let conversations = max(10, events / 13 + 10)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator, "--conversations", "\(conversations)", "--seed", "7"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("corpus generator failed: \(generator)") }
        let lines = data.split(separator: 0x0A).prefix(events).map { Data($0) }
        guard lines.count == events else { throw BenchError("the corpus has \(lines.count) events; \(events) were asked for") }
        return lines
    }

    private static func item(_ line: Data) throws -> Item {
        guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any], let kind = object["kind"] as? String else {
            throw BenchError("corpus line is not an action")
        }
        func string(_ key: String) -> String? { object[key] as? String }
        let stream: StreamName
        switch kind {
        case "order_state_changed": stream = try StreamName(category: "order", id: string("order") ?? "?")
        case "preference_changed": stream = try StreamName(category: "user", id: string("user") ?? "?")
        case "template_saved": stream = try StreamName(category: "user", id: string("vendor") ?? "?")
        default: stream = try StreamName(category: "conversation", id: string("conversation") ?? "?")
        }
        let actor = string("sender") ?? string("by") ?? string("recipient") ?? string("reader") ?? string("user") ?? string("vendor")
        let type = kind.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return Item(
            stream: stream,
            event: EventData(
                type: type, payload: Array(line), metadata: EventMetadata(actor: actor.map { "user:\($0)" }),
                idempotencyKey: kind == "message_sent" ? string("client_id") : nil))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
