import Foundation
import ParleyTestSupport
import Testing

/// Generated stream frames against a real server: malformed and truncated JSON, wrong types,
/// huge and odd ids, deep nesting, binary and oversized frames, frames out of order, now and then
/// a valid send. The server must answer each with a documented error frame, an ack or a
/// documented close, never crash, never write what it refused, and a bystander's stream must
/// carry on. The suite sends a few thousand; `scripts/bench fuzz` sends 100,000 through the same
/// test (`PARLEY_FUZZ_FRAMES`) and writes the figures as JSON to `PARLEY_BENCH_REPORT`.
@Suite("fuzzing the stream with generated frames")
struct FuzzTests {
    /// The figures of a run, as `scripts/bench fuzz --json` prints them.
    struct Report: Codable {
        var inputs = 0
        var crashes = 0
        var internal_errors = 0
        var undocumented_closes = 0
        var undocumented_codes: [String] = []
        /// Error frames received, by code.
        var errors: [String: Int] = [:]
        /// Connections ended, by close code (0: no close frame).
        var closes: [String: Int] = [:]
        var reconnects = 0
        var acked = 0
        var written = 0
        /// Messages written whose frame was not a well-formed send: what must never happen.
        var written_from_refused = 0
        var bystander_ok = false
        var seconds = 0.0
        /// The connections whose end is counted already.
        var countedEnd: Set<ObjectIdentifier> = []

        enum CodingKeys: String, CodingKey {
            case inputs, crashes, internal_errors, undocumented_closes, undocumented_codes, errors, closes, reconnects, acked, written
            case written_from_refused, bystander_ok, seconds
        }
    }

    /// The error codes a refused frame may get (docs/PROTOCOL.md).
    static let documentedCodes: Set<String> = [
        "malformed_json", "invalid_request", "unknown_frame_type", "hello_repeated", "hello_expected", "text_frames_only",
        "conversation_not_found", "message_not_found", "forbidden", "not_participant", "rate_limited", "new_account_limit", "blocked",
        "message_blocked", "payload_too_large", "unavailable",
    ]
    /// The close codes a connection may end with: normal, too big, protocol error, policy.
    static let documentedCloses: Set<Int> = [1000, 1002, 1003, 1007, 1008, 1009, 4400]

    @Test("thousands of generated frames: documented errors or closes only, no crash, nothing refused is written, a bystander unaffected", .timeLimit(.minutes(30)))
    func frames() async throws {
        let count = Int(ProcessInfo.processInfo.environment["PARLEY_FUZZ_FRAMES"] ?? "") ?? 3_000
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--messages-per-second", "1000"])
            let market = try await Marketplace.open(on: server)
            let bystander = try await StreamClient.live(port: server.port, token: market.otherVendor).client
            let report = try await Self.run(count, against: server, market, seed: 0xF0220)
            var final = report
            // The bystander's stream carries on: a message in its own conversation reaches it.
            let other = try await server.http.call(
                "POST", "/v1/conversations", as: .bearer(market.otherBuyer),
                body: #"{"vendorId":"\#(Self.user(market.otherVendor))","subject":{"kind":"general"}}"#)
            if let id = other["conversationId"] as? String {
                let sent = try await server.http.call(
                    "POST", "/v1/conversations/\(id)/messages", as: .bearer(market.otherBuyer), body: #"{"clientMessageId":"b-1","text":"still there?"}"#)
                let update = try? await bystander.next(type: "update", timeout: .seconds(10))
                final.bystander_ok = !bystander.hasEnded && sent.status == 201 && update?["kind"] as? String == "conversation.started"
            }
            await bystander.close()
            if !server.child.process.isRunning { final.crashes += 1 }
            if let path = ProcessInfo.processInfo.environment["PARLEY_BENCH_REPORT"] {
                try JSONEncoder().encode(final).write(to: URL(fileURLWithPath: path))
            }
            #expect(final.inputs >= count, "\(final)")
            #expect(final.crashes == 0, "\(final)")
            #expect(final.internal_errors == 0, "\(final)")
            #expect(final.undocumented_closes == 0 && final.undocumented_codes.isEmpty, "\(final)")
            #expect(final.written_from_refused == 0, "only well-formed sends were written: \(final)")
            #expect(final.written >= final.acked, "every acknowledged message was written: \(final)")
            #expect(final.acked > 0, "the valid sends among the noise were acknowledged: \(final)")
            #expect(final.bystander_ok, "\(final)")
        }
    }

    /// The user id a test token names.
    static func user(_ token: String) -> String {
        let payload = token.split(separator: ".")[1]
        var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let claims = (try? JSONSerialization.jsonObject(with: Data(base64Encoded: base64) ?? Data())) as? [String: Any]
        return claims?["sub"] as? String ?? ""
    }

    static func run(_ count: Int, against server: ServerProcess, _ market: Marketplace, seed: UInt64) async throws -> Report {
        var rng = SeededRandom(seed: seed)
        var report = Report()
        let started = ContinuousClock.now
        let before = Set(try await Self.writtenClientIds(market))
        var wellFormed: Set<String> = []
        var client = try await StreamClient.live(port: server.port, token: market.buyer).client
        var valid = 0
        var broken = false
        while report.inputs < count {
            if client.hasEnded || broken {
                await client.close()
                broken = false
                Self.collect(from: client, into: &report)
                report.reconnects += 1
                guard server.child.process.isRunning else { break }
                client = try await StreamClient.live(port: server.port, token: market.buyer).client
            }
            let frame = Self.frame(&rng, conversation: market.conversationId, valid: &valid)
            // A frame the socket did not take (the server closed it) is not counted; the next connection goes on.
            switch frame {
            case .text(let text):
                if let id = Self.wellFormedSend(text) { wellFormed.insert(id) }
                broken = (try? await client.send(text)) == nil
            case .binary(let bytes): broken = (try? await client.sendBinary(bytes)) == nil
            }
            if broken { continue }
            report.inputs += 1
            // Every 50 frames a ping: its pong means the server answered every frame before it
            // (it handles a connection's frames in order), so none is left unanswered at the end.
            if report.inputs % 50 == 0 {
                await Self.sync(client, "sync-\(report.inputs)")
                Self.collect(from: client, into: &report)
            }
        }
        await Self.sync(client, "sync-end")
        Self.collect(from: client, into: &report)
        await client.close()
        let written = try await Self.writtenClientIds(market).filter { !before.contains($0) }
        report.written = written.count
        report.written_from_refused = written.filter { !wellFormed.contains($0) }.count
        report.seconds = (ContinuousClock.now - started).seconds
        return report
    }

    /// Pings and waits (up to 20 s) for the pong, or for the connection to end.
    static func sync(_ client: StreamClient, _ id: String) async {
        guard (try? await client.send(#"{"type":"ping","id":"\#(id)"}"#)) != nil else { return }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, !client.hasEnded {
            if (try? await client.next(timeout: .milliseconds(100), where: { $0["type"] as? String == "pong" && $0["ref"] as? String == id })) != nil { return }
        }
    }

    /// Takes every frame received so far and counts acks, internal errors, undocumented codes
    /// and, once the connection ended, how it closed.
    static func collect(from client: StreamClient, into report: inout Report) {
        while let frame = client.takeReceived() {
            switch frame["type"] as? String {
            case "ack" where frame["messageId"] != nil && frame["duplicate"] as? Bool != true: report.acked += 1
            case "error":
                let code = frame["code"] as? String ?? "?"
                report.errors[code, default: 0] += 1
                if code == "internal" { report.internal_errors += 1 }
                if !Self.documentedCodes.contains(code) && !report.undocumented_codes.contains(code) { report.undocumented_codes.append(code) }
            default: break
            }
        }
        guard client.hasEnded, !report.countedEnd.contains(ObjectIdentifier(client)) else { return }
        report.countedEnd.insert(ObjectIdentifier(client))
        report.closes["\(client.endedCode ?? 0)", default: 0] += 1
        if let code = client.endedCode, !Self.documentedCloses.contains(code) { report.undocumented_closes += 1 }
    }

    /// The client message ids of the conversation's messages, in order (every page of its history).
    static func writtenClientIds(_ market: Marketplace) async throws -> [String] {
        var ids: [String] = []
        var from = 1
        while true {
            let history = try await market.http.call(
                "GET", "/v1/conversations/\(market.conversationId)/messages?limit=500&from=\(from)", as: .bearer(market.buyer))
            for item in history["items"] as? [[String: Any]] ?? [] where item["kind"] as? String == "message.added" {
                ids.append(((item["data"] as? [String: Any])?["clientMessageId"] as? String) ?? "?")
            }
            guard let next = history["next"] as? Int else { return ids }
            from = next
        }
    }

    /// The client message id of a frame that is a well-formed send (a JSON object of type `send`
    /// whose ids and text are strings), else nil: only such a frame may write a message.
    static func wellFormedSend(_ text: String) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], object["type"] as? String == "send",
            object["conversationId"] is String, object["text"] is String, let id = object["clientMessageId"] as? String
        else { return nil }
        return id
    }

    enum Frame {
        case text(String)
        case binary([UInt8])
    }

    /// One generated frame; `valid` counts the valid sends made (their client message ids).
    static func frame(_ rng: inout SeededRandom, conversation: String, valid: inout Int) -> Frame {
        let templates = [
            #"{"type":"send","id":"s","conversationId":"\#(conversation)","clientMessageId":"f","text":"hello"}"#,
            #"{"type":"read","id":"r","conversationId":"\#(conversation)","upToMessageId":"m"}"#,
            #"{"type":"delivered","id":"d","conversationId":"\#(conversation)","upToMessageId":"m"}"#,
            #"{"type":"typing","conversationId":"\#(conversation)"}"#,
            #"{"type":"ping","id":"p"}"#,
            #"{"type":"hello","offset":0,"epoch":null}"#,
        ]
        let oddValues = [
            "null", "true", "-0", "1e400", "1180591620717411303424", "-9223372036854775809", "\"\"", "[]", "{}", "[[[]]]", "\"\\u0000\"",
            "\"\\ud800\"", "\"\(String(repeating: "é", count: 2_000))\"", "0.5", "\"💬\"",
        ]
        switch rng.next() % 10 {
        case 0:
            // A valid send with a fresh client message id.
            valid += 1
            return .text(#"{"type":"send","id":"v\#(valid)","conversationId":"\#(conversation)","clientMessageId":"fuzz-\#(valid)-\#(rng.next())","text":"valid \#(valid)"}"#)
        case 1:
            // Random characters.
            let length = Int(rng.next() % 200)
            return .text(String(String.UnicodeScalarView((0..<length).compactMap { _ in Unicode.Scalar(UInt32(rng.next() % 0x2_FFFF)) })))
        case 2:
            // A template cut short.
            let template = rng.pick(templates)
            return .text(String(template.prefix(Int(rng.next() % UInt64(template.count)))))
        case 3:
            // A member given an odd value.
            let template = rng.pick(templates)
            let members = ["\"id\"", "\"conversationId\"", "\"clientMessageId\"", "\"text\"", "\"upToMessageId\"", "\"offset\"", "\"type\""]
            let member = rng.pick(members)
            guard let range = template.range(of: member + ":") else { return .text(template) }
            let rest = template[range.upperBound...]
            let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
            return .text(String(template[..<range.upperBound]) + rng.pick(oddValues) + String(template[end...]))
        case 4:
            // A huge id, at times past the frame limit.
            let length = rng.chance(0.1) ? 70_000 : Int(rng.next() % 20_000)
            return .text(#"{"type":"ping","id":"\#(String(repeating: "i", count: length))"}"#)
        case 5:
            // Deep nesting.
            let depth = Int(rng.next() % 20_000)
            return .text(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        case 6:
            return .binary((0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        case 7:
            // Out of order: another hello, or extra and unknown members.
            return .text(rng.chance(0.5) ? #"{"type":"hello","offset":null,"epoch":null}"# : #"{"type":"teleport","x":1}"#)
        case 8:
            // Duplicate keys, trailing commas, a byte-order mark.
            return .text(rng.pick([#"{"type":"ping","type":"send"}"#, #"{"type":"ping",}"#, "\u{FEFF}{\"type\":\"ping\"}", "[1,2,]"]))
        default:
            return .text(rng.pick(templates))
        }
    }
}
