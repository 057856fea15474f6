import EventLog
import Foundation
import ParleyTestSupport
import Testing

/// `parley serve --read-database-url` against a real PostgreSQL hot standby: writes and projectors
/// on the primary, the live feed and the API's reads on the standby.
@Suite("reads from a PostgreSQL hot standby")
struct ReadReplicaTests {
    /// Polls `/ready` of `server` until the live feed and the replica are at the log's head; whether they got there.
    static func settled(_ server: ServerProcess, within: Duration = .seconds(15)) async throws -> Bool {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            let ready = try await server.http.call("GET", "/ready")
            if ready.status == 200, let head = ready["head"] as? Int, ready["feed"] as? Int == head, ready["replica"] as? Int == head { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Calls `request` until it answers something other than 503 (a server reconnecting to a
    /// standby that came back), for at most `within`; the last answer.
    static func retried(within: Duration, _ request: () async throws -> Answer) async throws -> Answer {
        let deadline = ContinuousClock.now + within
        var answer = try await request()
        while answer.status == 503 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            answer = try await request()
        }
        return answer
    }

    /// The texts of the messages of `answer`'s items (a history page), in order.
    static func texts(_ answer: Answer) -> [String] {
        (answer["items"] as? [[String: Any]] ?? []).compactMap { ($0["data"] as? [String: Any])?["text"] as? String }
    }

    /// The preview of the last message of the inbox row of `conversation` in `answer`.
    static func preview(_ answer: Answer, of conversation: String) -> String? {
        let row = (answer["items"] as? [[String: Any]])?.first { $0["conversationId"] as? String == conversation }
        return (row?["lastMessage"] as? [String: Any])?["preview"] as? String
    }

    @Test(
        "two servers reading from a hot standby carry a chat; after= waits for replication (503 when it does not come); with the standby stopped reads answer 503 and writes go on",
        .timeLimit(.minutes(3)))
    func chatOverStandby() async throws {
        try await HotStandby.with { clusters in
            // One server is told by its flag, the other by the environment.
            let first = try await ServerProcess(url: clusters.primary.url, arguments: ["--read-database-url", clusters.standby.url.urlString])
            let second = try await ServerProcess(url: clusters.primary.url, environment: ["PARLEY_READ_DATABASE_URL": clusters.standby.url.urlString])
            let market = try await Marketplace.open(on: first)
            let conversation = market.conversationId
            for server in [first, second] {
                let ready = try await server.http.call("GET", "/ready")
                #expect(ready.status == 200 && ready["replica"] is Int, "/ready reports the replica: \(ready)")
            }
            #expect(try await sql(clusters.standby.url, "SELECT pg_is_in_recovery()::text") == ["true"], "the reads go to a standby")

            // A message sent through one server reaches a stream of the other, whose feed tails the standby.
            let buyer = try await StreamClient.live(port: second.port, token: market.buyer).client
            let vendor = try await StreamClient.live(port: first.port, token: market.vendor).client
            let sent = try await market.post("Is the bike still there?", as: market.vendor)
            #expect(sent.status == 201, "\(sent)")
            let offset = try #require(sent["offset"] as? Int)
            let update = try await buyer.next(type: "update")
            #expect(update["offset"] as? Int == offset)
            #expect((update["data"] as? [String: Any])?["text"] as? String == "Is the bike still there?")
            // Reads through the other server with after= show the write.
            let on = second.http
            let inbox = try await on.call("GET", "/v1/inbox?after=\(offset)", as: .bearer(market.buyer))
            #expect(inbox.status == 200 && (inbox["offset"] as? Int ?? 0) >= offset, "\(inbox)")
            #expect(Self.preview(inbox, of: conversation) == "Is the bike still there?", "\(inbox)")
            let unread = try await on.call("GET", "/v1/unread?after=\(offset)", as: .bearer(market.buyer))
            #expect(unread.status == 200 && unread["total"] as? Int == 1, "\(unread)")
            let history = try await on.call("GET", "/v1/conversations/\(conversation)/messages?after=\(offset)", as: .bearer(market.buyer))
            #expect(Self.texts(history) == ["Is the bike still there?"], "\(history)")
            // A staff timeline is a logged read: the view is appended on the primary, and the timeline read from the standby holds it.
            let timeline = try await on.call("GET", "/v1/staff/conversations/\(conversation)/timeline?reason=dispute%2042", as: .bearer(market.staff))
            #expect(timeline.status == 200, "\(timeline)")
            #expect((timeline["items"] as? [[String: Any]])?.last?["type"] as? String == "StaffViewedConversation", "\(timeline)")

            // Replication held up: the write is acknowledged, a read that must see it waits and answers 503, then sees it once replay resumes.
            #expect(try await Self.settled(second), "the second server's feed and replica did not reach the head")
            #expect(try await sql(clusters.standby.url, "SELECT 'paused' FROM (SELECT pg_wal_replay_pause()) p") == ["paused"])
            let held = try await market.through(second).post("Yes, it is", as: market.buyer)
            #expect(held.status == 201, "a write needs no replica: \(held)")
            let heldOffset = try #require(held["offset"] as? Int)
            let waited = try await on.call("GET", "/v1/inbox?after=\(heldOffset)", as: .bearer(market.vendor))
            #expect(waited.status == 503 && waited.errorCode == "unavailable", "\(waited)")
            let waitedHistory = try await on.call("GET", "/v1/conversations/\(conversation)/messages?after=\(heldOffset)", as: .bearer(market.vendor))
            #expect(waitedHistory.status == 503 && waitedHistory.errorCode == "unavailable", "\(waitedHistory)")
            // The other server's live feed tails the standby too: the write has not reached its streams.
            let early = try? await vendor.next(timeout: .milliseconds(1)) { $0["type"] as? String == "update" && $0["offset"] as? Int == heldOffset }
            #expect(early == nil, "a stream got an update the standby has not replayed: \(early ?? [:])")
            #expect(try await sql(clusters.standby.url, "SELECT 'resumed' FROM (SELECT pg_wal_replay_resume()) p") == ["resumed"])
            let arrived = try await vendor.next(timeout: .seconds(10)) { $0["type"] as? String == "update" && $0["offset"] as? Int == heldOffset }
            #expect((arrived["data"] as? [String: Any])?["text"] as? String == "Yes, it is", "\(arrived)")
            let caughtUp = try await on.call("GET", "/v1/inbox?after=\(heldOffset)", as: .bearer(market.vendor))
            #expect(caughtUp.status == 200 && Self.preview(caughtUp, of: conversation) == "Yes, it is", "\(caughtUp)")
            let vendorHistory = try await on.call("GET", "/v1/conversations/\(conversation)/messages?after=\(heldOffset)", as: .bearer(market.vendor))
            #expect(Self.texts(vendorHistory) == ["Is the bike still there?", "Yes, it is"], "\(vendorHistory)")

            // The standby stopped: reads answer 503 and /ready says why, while a write through the primary still succeeds.
            #expect(try await Self.settled(first), "the first server's feed and replica did not reach the head")
            try clusters.standby.stop()
            let down = try await first.http.call("GET", "/v1/inbox", as: .bearer(market.buyer))
            #expect(down.status == 503 && down.errorCode == "unavailable", "\(down)")
            let notReady = try await first.http.call("GET", "/ready")
            #expect(notReady.status == 503 && (notReady["problem"] as? String)?.contains("read replica") == true, "\(notReady)")
            let during = try await market.post("Great, I'll take it", as: market.vendor)
            #expect(during.status == 201, "a write while the standby is away: \(during)")
            let duringOffset = try #require(during["offset"] as? Int)
            #expect(try await sql(clusters.primary.url, "SELECT position::text FROM parley_log_head") == ["\(duringOffset)"])
            // Back: the reads catch up with what was written meanwhile, and so does the stream.
            _ = try clusters.standby.start()
            let back = try await Self.retried(within: .seconds(30)) {
                try await first.http.call("GET", "/v1/unread?after=\(duringOffset)", as: .bearer(market.buyer))
            }
            #expect(back.status == 200 && back["total"] as? Int == 2, "\(back)")
            for (expected, text) in [(heldOffset, "Yes, it is"), (duringOffset, "Great, I'll take it")] {
                let update = try await buyer.next(timeout: .seconds(20)) { $0["type"] as? String == "update" && $0["offset"] as? Int == expected }
                #expect((update["data"] as? [String: Any])?["text"] as? String == text, "\(update)")
            }
            await buyer.close()
            await vendor.close()
            for server in [first, second] {
                let status = await server.stop()
                #expect(status == 0, "exit \(status): \(server.child.output.suffix(20).joined(separator: "\n"))")
            }
        }
    }
}
