import ArgumentParser
import EventLog
import Foundation
import Projections

/// `parley-replay timeline`: the dispute history of a conversation or an order, in log order, with
/// the result of `verify` over the positions it covers. Reading a conversation is logged: each
/// conversation shown gets a StaffViewedConversation event naming the staff member and the reason.
struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline", abstract: "Show the dispute timeline of a conversation or an order (logged as a staff view).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Conversation id.") var conversation: String?
    @Option(help: "Order id.") var order: String?
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: "Staff id of the person reading (recorded in the log).") var staff: String
    @Option(help: "Why the history is read, e.g. a dispute ticket (recorded in the log).") var reason: String

    func validate() throws {
        guard (self.conversation == nil) != (self.order == nil) else {
            throw ValidationError("give exactly one of --conversation ID or --order ID")
        }
        guard !self.staff.isEmpty, !self.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--staff and --reason must not be empty: staff reads are logged with both")
        }
    }

    func run() async throws {
        let timeline: TimelineEntry.Timeline = self.conversation.map { .conversation($0) } ?? .order(self.order!)
        let (staff, reason) = (self.staff, self.reason)
        let (entries, report) = try await self.database.withLog { log in
            let entries = try await Self.entries(of: timeline, in: log)
            guard let first = entries.first, let last = entries.last else {
                switch timeline {
                case .conversation(let id): throw ReplayFailure("no conversation \"\(id)\" in the log")
                case .order(let id): throw ReplayFailure("no order \"\(id)\" in the log")
                }
            }
            try await Self.logView(of: entries, staff: staff, reason: reason, in: log)
            return (entries, try await log.verify(from: first.position, to: last.position))
        }
        switch self.format {
        case .text:
            for entry in entries { print(Self.line(entry)) }
            print("verify: " + VerifyCommand.describe(report))
        case .json:
            print(try Self.json(entries, report))
        }
        if !report.isIntact { throw ExitCode.failure }
    }

    /// Replays the whole log through the dispute-timeline projection and returns one timeline.
    private static func entries(of timeline: TimelineEntry.Timeline, in log: EventLog) async throws -> [TimelineEntry] {
        var projection = DisputeTimeline()
        for try await batch in log.scan() {
            for recorded in batch {
                guard let event = try? ProjectedEvent(recorded) else { continue }
                _ = projection.apply(event)
            }
        }
        return projection.entries(of: timeline)
    }

    /// Appends a staff view to every conversation the timeline shows.
    private static func logView(of entries: [TimelineEntry], staff: String, reason: String, in log: EventLog) async throws {
        var seen = Set<String>()
        for entry in entries where entry.stream.category == "conversation" && seen.insert(entry.stream.id).inserted {
            let view = StaffViewedConversation(conversationId: entry.stream.id, staffId: staff, reason: reason, occurredAt: .now())
            try await log.append(
                [EventData(type: StaffViewedConversation.eventType, schemaVersion: StaffViewedConversation.schemaVersion,
                           payload: view.domainEvent.encode(), metadata: EventMetadata(actor: EventMetadata.userActor(staff)))],
                to: entry.stream)
        }
    }

    private static func line(_ entry: TimelineEntry) -> String {
        let payload = String(decoding: entry.event.encode(), as: UTF8.self)
        return "#\(entry.position)  \(entry.occurredAt)  \(entry.actor ?? "-")  \(entry.event.typeName)  \(payload)"
    }

    private static func json(_ entries: [TimelineEntry], _ report: VerifyReport) throws -> String {
        var items: [String] = []
        for entry in entries {
            let fields: [(String, String)] = [
                ("position", "\(entry.position)"), ("stream", Self.quoted(entry.stream.description)),
                ("streamVersion", "\(entry.streamVersion)"), ("occurredAt", Self.quoted(entry.occurredAt.description)),
                ("recordedAt", Self.quoted(entry.recordedAt.description)), ("actor", entry.actor.map(Self.quoted) ?? "null"),
                ("type", Self.quoted(entry.event.typeName)), ("event", String(decoding: entry.event.encode(), as: UTF8.self)),
            ]
            items.append("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
        }
        let verify = "{\"intact\":\(report.isIntact),\"from\":\(report.from),\"to\":\(report.to),\"checked\":\(report.checked)"
            + ",\"firstBrokenPosition\":\(report.firstBrokenPosition.map(String.init) ?? "null")}"
        return "{\"entries\":[" + items.joined(separator: ",") + "],\"verify\":" + verify + "}"
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
