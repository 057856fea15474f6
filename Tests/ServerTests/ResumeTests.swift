import EventLog
import Foundation
import Logging
import ParleyTestSupport
import Testing

/// Catch-ups read from the stored updates: no window, whatever lies between the client's offset
/// and the head.
@Suite("resuming from the stored updates", .timeLimit(.minutes(5)))
struct ResumeTests {
    @Test("a client away across 5,000 other events resumes with exactly its missed updates, no snapshot, and meets live at one offset")
    func resumeAcrossManyEvents() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (offset, epoch) = try await StreamClient.resumePoint(port: server.port, token: market.vendor)

            // The vendor's missed messages lie between batches of other users' events.
            var acks: [Int] = []
            for round in 0..<5 {
                let end = try await Self.appendProfiles(1_000, round: round, to: url)
                // A send is checked against the stored feed once it holds every committed event.
                try await Self.waitForFeed(reaching: end, on: server)
                let ack = try await market.post("message \(round)", as: market.buyer)
                acks.append(try #require(ack["offset"] as? Int, "\(ack)"))
            }
            let head = try #require(acks.last)
            #expect(head - offset > 5_000, "the offsets between the client's and the head span the noise")

            let again = try await StreamClient.connect(port: server.port, token: market.vendor)
            try await again.hello(offset: Int64(offset), epoch: epoch)
            let (frames, resumedLive) = try await again.untilLive(timeout: .seconds(60))
            #expect(frames.allSatisfy { $0["type"] as? String == "update" }, "no snapshot: \(frames.prefix(2))")
            #expect(frames.map { $0["offset"] as? Int } == acks, "exactly the missed messages, once, in order")
            #expect(frames.map { ($0["data"] as? [String: Any])?["text"] as? String } == (0..<5).map { "message \($0)" })
            let liveOffset = try #require(resumedLive["offset"] as? Int)
            #expect(liveOffset >= head)
            let next = try await market.post("after the catch-up", as: market.buyer)
            let update = try await again.next(type: "update")
            #expect(update["offset"] as? Int == next["offset"] as? Int, "the next update is the first after live")
            #expect((update["offset"] as? Int ?? 0) > liveOffset)
            await again.close()
            #expect(await server.stop() == 0)
        }
    }

    @Test("past --max-resume-updates a client still resumes while its missed updates are at most 4 per inbox row, else gets a snapshot")
    func resumeRatio() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--max-resume-updates", "3"])
            let market = try await Marketplace.open(on: server)
            // The vendor has 3 conversations: up to 12 missed updates are resumed.
            for index in 0..<2 {
                let buyer = try await Tokens.user("ratio-buyer-\(index)-\(UUID().uuidString.prefix(6))", "buyer")
                let started = try await market.http.call(
                    "POST", "/v1/conversations", as: .bearer(buyer), body: #"{"vendorId":"\#(market.vendorId)","subject":{"kind":"general"}}"#)
                #expect(started.status == 201, "\(started)")
            }
            let (offset, epoch) = try await StreamClient.resumePoint(port: server.port, token: market.vendor)

            for index in 0..<10 { try await market.post("message \(index)", as: market.buyer) }
            let within = try await StreamClient.connect(port: server.port, token: market.vendor)
            try await within.hello(offset: Int64(offset), epoch: epoch)
            let (resumed, _) = try await within.untilLive()
            #expect(resumed.count == 10 && resumed.allSatisfy { $0["type"] as? String == "update" }, "10 ≤ 4 × 3 rows: resumed, \(resumed.prefix(2))")
            await within.close()

            for index in 10..<13 { try await market.post("message \(index)", as: market.buyer) }
            let beyond = try await StreamClient.connect(port: server.port, token: market.vendor)
            try await beyond.hello(offset: Int64(offset), epoch: epoch)
            let (pages, _) = try await beyond.untilLive()
            #expect(pages.first?["type"] as? String == "snapshot")
            #expect(pages.first?["reason"] as? String == "too_far_behind", "13 > 4 × 3 rows: a snapshot, \(pages.prefix(1))")
            #expect((pages.first?["inbox"] as? [[String: Any]])?.count == 3)
            await beyond.close()
            #expect(await server.stop() == 0)
        }
    }

    /// Waits (up to a minute) until the server's live feed has handed on the stored updates through `position`.
    private static func waitForFeed(reaching position: Int64, on server: ServerProcess) async throws {
        for _ in 0..<600 {
            if let feed = try await server.http.call("GET", "/ready")["feed"] as? Int, feed >= position { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("the live feed did not reach \(position) within a minute")
    }

    /// Appends `count` profile updates of users nobody talks to, in bulk, straight to the log;
    /// returns the head after them.
    private static func appendProfiles(_ count: Int, round: Int, to url: DatabaseURL) async throws -> Int64 {
        let log = EventLog(url: url, logger: Logger(label: "noise"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            for first in stride(from: 0, to: count, by: 1_000) {
                let streams = try (first..<min(count, first + 1_000)).map { index in
                    let user = "noise-\(round)-\(index)"
                    let payload = #"{"userId":"\#(user)","displayName":"Noise \#(index)","role":"buyer","occurredAt":"2026-12-06T12:00:00.000000Z"}"#
                    return AppendRequest.StreamEvents(
                        stream: try StreamName(category: "user", id: user),
                        events: [EventData(type: "UserProfileUpdated", schemaVersion: 1, payload: Array(payload.utf8))])
                }
                try await log.append(AppendRequest(streams))
            }
            let head = try await log.head().position
            group.cancelAll()
            return head
        }
    }
}
