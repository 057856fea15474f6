import Foundation
import ParleyTestSupport
import Testing

/// The HTTP fallbacks carry the same stream as the WebSocket: the same frames, the same resume
/// rules, exactly once and in order across cuts.
@Suite("HTTP fallbacks: Server-Sent Events and long-poll, with real sockets", .timeLimit(.minutes(3)))
struct FallbackTests {
    @Test("Server-Sent Events: snapshot then live; updates carry their offset as id; Last-Event-ID resumes exactly once, in order")
    func serverSentEvents() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--heartbeat-seconds", "0.2"])
            let market = try await Marketplace.open(on: server)
            let vendor = try await EventStreamClient.open(port: server.port, token: market.vendor)
            #expect(vendor.status == 200)
            #expect(vendor.header("Content-Type")?.hasPrefix("text/event-stream") == true)
            let (snapshot, live) = try await vendor.untilLive()
            #expect(snapshot.map(\.type) == ["snapshot"])
            #expect(snapshot.first?.data["reason"] as? String == "initial")
            #expect(snapshot.first?.id == live.id, "the last snapshot page carries the offset it is as of")
            let epoch = try #require(live.data["epoch"] as? String)
            #expect(live.id == "\(try #require(live.data["offset"] as? Int))")

            let first = try await market.post("first", as: market.buyer)
            let update = try await vendor.next()
            #expect(update.type == "update")
            #expect(update.id == "\(try #require(first["offset"] as? Int))")
            #expect((update.data["data"] as? [String: Any])?["text"] as? String == "first")
            // Idle, the response gets heartbeats.
            try await Task.sleep(for: .milliseconds(700))
            #expect(vendor.heartbeats >= 2)
            await vendor.close()

            // Away: three messages. Back with Last-Event-ID (as an EventSource reconnects): exactly those, in order.
            var missed: [Int] = []
            for text in ["second", "third", "fourth"] { missed.append(try #require(try await market.post(text, as: market.buyer)["offset"] as? Int)) }
            let back = try await EventStreamClient.open(port: server.port, token: market.vendor, lastEventID: update.id)
            // The catch-up holds what the feed had applied when the client came back; the rest follows `live`.
            var resumed: [EventStreamClient.Event] = []
            var lives = 0
            while resumed.count < 3 {
                let event = try await back.next()
                if event.type == "live" { lives += 1 } else { resumed.append(event) }
            }
            if lives == 0 { lives += try await back.untilLive().events.isEmpty ? 1 : 100 }
            #expect(lives == 1, "one live marker between catch-up and live updates")
            #expect(resumed.map(\.id) == missed.map { "\($0)" })
            #expect(resumed.compactMap { ($0.data["data"] as? [String: Any])?["text"] as? String } == ["second", "third", "fourth"])
            let fifth = try await market.post("fifth", as: market.buyer)
            let next = try await back.next()
            #expect(next.id == "\(try #require(fifth["offset"] as? Int))", "live follows the catch-up with no gap and no duplicate")
            await back.close()

            // The same through the query, and an offset from another epoch gets a snapshot.
            let query = try await EventStreamClient.open(
                port: server.port, path: "/v1/events?offset=\(missed[0])&epoch=\(epoch)", token: market.vendor)
            #expect(try await query.untilLive().events.map(\.id) == [missed[1], missed[2], try #require(fifth["offset"] as? Int)].map { "\($0)" })
            await query.close()
            let elsewhere = try await EventStreamClient.open(port: server.port, path: "/v1/events?offset=\(missed[0])&epoch=another", token: market.vendor)
            let (reset, _) = try await elsewhere.untilLive()
            #expect(reset.first?.data["reason"] as? String == "epoch_changed")
            await elsewhere.close()
        }
    }

    @Test("Server-Sent Events refuse what the stream refuses, with the HTTP API's errors")
    func serverSentEventsRefusals() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let anonymous = try await EventStreamClient.open(port: server.port, token: nil)
            #expect(anonymous.status == 401)
            #expect(try await anonymous.waitForEnd())
            #expect(anonymous.text.contains("missing_token"))
            let forged = try await EventStreamClient.open(port: server.port, token: market.buyer + "x")
            #expect(forged.status == 401)
            let badOffset = try await EventStreamClient.open(port: server.port, token: market.buyer, lastEventID: "yesterday")
            #expect(badOffset.status == 400)
            #expect(try await badOffset.waitForEnd())
            #expect(badOffset.text.contains("invalid_request"))
            // The token may come as access_token, as an EventSource cannot set headers.
            let query = try await EventStreamClient.open(port: server.port, path: "/v1/events?access_token=\(market.buyer)", token: nil)
            #expect(query.status == 200)
            #expect(try await query.untilLive().events.first?.type == "snapshot")
            await query.close()
            let platform = try await market.http.call("GET", "/v1/events", as: market.platform)
            #expect(platform.status == 403 && platform.errorCode == "forbidden")
        }
    }

    @Test("long-poll: snapshot first, then pages of updates from each answer's offset: each once, in order; a wait ends with the first update")
    func longPoll() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let http = market.http
            let first = try await http.call("GET", "/v1/updates", as: .bearer(market.vendor))
            #expect(first.status == 200)
            let frames = try #require(first["frames"] as? [[String: Any]])
            #expect(frames.map { $0["type"] as? String } == ["snapshot"])
            #expect(frames.first?["reason"] as? String == "initial")
            let epoch = try #require(first["epoch"] as? String)
            var offset = try #require(first["offset"] as? Int)

            // Nothing new: answered at once with wait=0, offset unchanged.
            let idle = try await http.call("GET", "/v1/updates?offset=\(offset)&epoch=\(epoch)&wait=0", as: .bearer(market.vendor))
            #expect((idle["frames"] as? [Any])?.isEmpty == true)
            #expect(idle["offset"] as? Int == offset)

            // A waiting poll is answered by the first update.
            let waitingPath = "/v1/updates?offset=\(offset)&epoch=\(epoch)&wait=20"
            async let waiting = http.call("GET", waitingPath, as: .bearer(market.vendor))
            try await Task.sleep(for: .milliseconds(300))
            let posted = try await market.post("are you there?", as: market.buyer)
            let woken = try await waiting
            let wokenFrames = try #require(woken["frames"] as? [[String: Any]])
            #expect(wokenFrames.map { $0["offset"] as? Int } == [posted["offset"] as? Int])
            offset = try #require(woken["offset"] as? Int)
            #expect(offset == posted["offset"] as? Int)

            // Seven missed, polled two at a time: 2, 2, 2, 1, each once, in order.
            var sent: [Int] = []
            for index in 1...7 { sent.append(try #require(try await market.post("m\(index)", as: market.buyer)["offset"] as? Int)) }
            var received: [Int] = []
            var pages: [Int] = []
            var more = true
            while more {
                let page = try await http.call("GET", "/v1/updates?offset=\(offset)&epoch=\(epoch)&limit=2&wait=0", as: .bearer(market.vendor))
                #expect(page.status == 200, "\(page)")
                let updates = try #require(page["frames"] as? [[String: Any]])
                received += updates.compactMap { $0["offset"] as? Int }
                pages.append(updates.count)
                offset = try #require(page["offset"] as? Int)
                more = page["more"] as? Bool ?? false
                if pages.count > 10 { break }
            }
            #expect(received == sent)
            #expect(pages == [2, 2, 2, 1])

            // Another epoch: a snapshot, as the stream would send.
            let reset = try await http.call("GET", "/v1/updates?offset=\(offset)&epoch=another", as: .bearer(market.vendor))
            #expect((reset["frames"] as? [[String: Any]])?.first?["reason"] as? String == "epoch_changed")
            // Bad parameters are refused.
            for query in ["offset=-1", "offset=soon", "wait=61", "limit=0"] {
                let bad = try await http.call("GET", "/v1/updates?\(query)", as: .bearer(market.vendor))
                #expect(bad.status == 400 && bad.errorCode == "invalid_request", "\(query): \(bad)")
            }
            #expect(try await http.call("GET", "/v1/updates").status == 401)
        }
    }

    @Test("a user's open streams are capped across transports: 429 over HTTP, close 4429 on the WebSocket")
    func connectionCap() async throws {
        try await TestDatabase.with { url in
            // A closed event stream is noticed at the next write: heartbeats every 0.3 s here.
            let server = try await ServerProcess(url: url, arguments: ["--max-connections-per-user", "2", "--heartbeat-seconds", "0.3"])
            let market = try await Marketplace.open(on: server)
            let one = try await EventStreamClient.open(port: server.port, token: market.buyer)
            _ = try await one.untilLive()
            let two = try await StreamClient.live(port: server.port, token: market.buyer).client
            let three = try await EventStreamClient.open(port: server.port, token: market.buyer)
            #expect(three.status == 429)
            #expect(try await three.waitForEnd())
            #expect(three.text.contains("too_many_connections"))
            let four = try await StreamClient.connect(port: server.port, token: market.buyer)
            try await four.hello()
            #expect(try await four.next(type: "error")["code"] as? String == "too_many_connections")
            #expect(try await four.closeCode() == 4429)
            // Another user is not affected; and once one stream closes, the user may open another.
            let vendor = try await EventStreamClient.open(port: server.port, token: market.vendor)
            #expect(vendor.status == 200)
            await one.close()
            var reopened: EventStreamClient?
            for _ in 0..<100 {
                let attempt = try await EventStreamClient.open(port: server.port, token: market.buyer)
                if attempt.status == 200 { reopened = attempt; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(reopened != nil)
            await reopened?.close()
            await two.close()
            await vendor.close()
        }
    }
}
