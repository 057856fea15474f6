import Foundation
import ParleyTestSupport
import Synchronization
import Testing

@Suite("several server instances on one database, and restarts")
struct InstancesTests {
    @Test("two instances behave as one: a message sent through one reaches a client of the other, and so does typing")
    func fanOut() async throws {
        try await TestDatabase.with { url in
            let first = try await ServerProcess(url: url)
            let second = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: first)
            let vendor = try await StreamClient.live(port: first.port, token: market.vendor).client
            let buyer = try await StreamClient.live(port: second.port, token: market.buyer).client

            try await buyer.send(#"{"type":"send","conversationId":"\#(market.conversationId)","clientMessageId":"x-1","text":"from the other instance"}"#)
            let ack = try await buyer.next(type: "ack")
            let update = try await vendor.next(type: "update")
            #expect(update["offset"] as? Int == ack["offset"] as? Int)
            #expect((update["data"] as? [String: Any])?["text"] as? String == "from the other instance")

            try await buyer.send(#"{"type":"typing","conversationId":"\#(market.conversationId)"}"#)
            let typing = try await vendor.next(type: "typing")
            #expect(typing["conversationId"] as? String == market.conversationId)
            #expect((typing["userId"] as? String)?.hasPrefix("buyer-") == true)
            #expect(typing["expiresInMs"] as? Int == 5_000)
            // A stranger cannot send typing notices into the conversation.
            let stranger = try await StreamClient.live(port: second.port, token: market.otherBuyer).client
            try await stranger.send(#"{"type":"typing","conversationId":"\#(market.conversationId)"}"#)
            #expect(try await stranger.next(type: "error")["code"] as? String == "conversation_not_found")
            await stranger.close()
            await buyer.close()
            await vendor.close()
        }
    }

    @Test("a block made through one instance is enforced at once through the other, and so is its lifting")
    func blocksAcrossInstances() async throws {
        try await TestDatabase.with { url in
            let first = try await ServerProcess(url: url)
            let second = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: first)
            let history = try await market.http.call("GET", "/v1/conversations/\(market.conversationId)/messages", as: .bearer(market.buyer))
            let buyerId = try #require(((history["items"] as? [[String: Any]])?.first?["data"] as? [String: Any])?["buyerId"] as? String)
            let through = market.through(second)
            for round in 0..<5 {
                #expect(try await market.http.call("PUT", "/v1/blocks/\(buyerId)", as: .bearer(market.vendor)).status == 200)
                let refused = try await through.post("round \(round), blocked", as: market.buyer)
                #expect(refused.status == 403 && refused.errorCode == "forbidden", "round \(round): \(refused)")
                #expect(try await market.http.call("DELETE", "/v1/blocks/\(buyerId)", as: .bearer(market.vendor)).status == 200)
                #expect(try await through.post("round \(round), unblocked", as: market.buyer).status == 201, "round \(round)")
            }
        }
    }

    @Test("rate limits count across instances: a user's burst spent through one instance is spent through the other")
    func sharedRateLimits() async throws {
        try await TestDatabase.with { url in
            // One message and one typing notice per 20 s: a second one within the test is over the limit.
            let limits = ["--messages-per-second", "0.05", "--typing-per-second", "0.05"]
            let first = try await ServerProcess(url: url, arguments: limits)
            let second = try await ServerProcess(url: url, arguments: limits)
            let market = try await Marketplace.open(on: first)
            let through = market.through(second)
            #expect(try await market.post("the one message of the burst", as: market.buyer).status == 201)
            let head = try await BadInputTests.head(market.http)
            let limited = try await through.post("one more, through the other instance", as: market.buyer)
            #expect(limited.status == 429 && limited.errorCode == "rate_limited", "\(limited)")
            #expect(try await BadInputTests.head(market.http) == head, "a limited send appends nothing")
            #expect(try await through.post("the vendor's own bucket is full", as: market.vendor).status == 201)

            let vendor = try await StreamClient.live(port: first.port, token: market.vendor).client
            let typist = try await StreamClient.live(port: first.port, token: market.buyer).client
            let elsewhere = try await StreamClient.live(port: second.port, token: market.buyer).client
            try await typist.send(#"{"type":"typing","conversationId":"\#(market.conversationId)"}"#)
            #expect(try await vendor.next(type: "typing")["conversationId"] as? String == market.conversationId, "the first notice goes through")
            try await elsewhere.send(#"{"type":"typing","conversationId":"\#(market.conversationId)"}"#)
            #expect(try await elsewhere.next(type: "error")["code"] as? String == "rate_limited")
            await vendor.close()
            await typist.close()
            await elsewhere.close()
        }
    }

    @Test("rate-limit rows of users whose buckets are full again are swept: the table holds only recent senders")
    func rateLimitSweep() async throws {
        try await TestDatabase.with { url in
            // A bucket of one message, full again 20 s after it was taken (room for a loaded machine); swept every second.
            let server = try await ServerProcess(url: url, arguments: ["--messages-per-second", "0.05", "--rate-limit-sweep-seconds", "1"])
            let market = try await Marketplace.open(on: server)
            #expect(try await market.post("hello", as: market.buyer).status == 201)
            #expect(try await market.post("hi", as: market.vendor).status == 201)
            let rows = "SELECT count(*)::text FROM parley_rate_limits WHERE kind = 'messages'"
            #expect(try await sql(url, rows) == ["2"], "both senders' buckets are taken")
            let deadline = ContinuousClock.now + .seconds(90)
            while try await sql(url, rows) != ["0"] {
                guard ContinuousClock.now < deadline else {
                    Issue.record("the rows were not swept: \(try await sql(url, rows))")
                    break
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            // Swept means full: the buyer may send again.
            #expect(try await market.post("hello again", as: market.buyer).status == 201)
        }
    }

    @Test("graceful shutdown sends the resume close code; after a restart the client resumes from its offset")
    func shutdownAndResume() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (vendor, _, live) = try await StreamClient.live(port: server.port, token: market.vendor)
            let ack = try await market.post("before the restart", as: market.buyer)
            let seen = try await vendor.next(type: "update")
            #expect(seen["offset"] as? Int == ack["offset"] as? Int)

            #expect(await server.stop() == 0)
            #expect(try await vendor.closeCode() == 1012)

            let restarted = try await ServerProcess(url: url, port: server.port)
            let missed = try await market.post("while you were away", as: market.buyer)
            let again = try await StreamClient.connect(port: restarted.port, token: market.vendor)
            try await again.hello(offset: Int64(seen["offset"] as? Int ?? 0), epoch: live["epoch"] as? String)
            let (frames, _) = try await again.untilLive()
            #expect(frames.map { $0["type"] as? String } == ["update"])
            #expect(frames.first?["offset"] as? Int == missed["offset"] as? Int)
            await again.close()
        }
    }
}

/// A value the tasks of a test share.
private final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
}

@Suite("backpressure")
struct BackpressureTests {
    @Test("a consumer too slow to keep up is closed with the resume code, loses nothing it was sent, and resumes the rest")
    func slowConsumer() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--queue-frames", "8", "--messages-per-second", "100000", "--ping-seconds", "600"])
            let market = try await Marketplace.open(on: server)
            let slow = try await SlowStreamClient.connect(port: server.port, token: market.vendor)
            try await slow.hello()
            // The buyer posts over HTTP (8 at a time), so only the vendor's stream is under pressure,
            // until the server drops that stream (its stream count falls to 0 on /metrics); 3,000
            // posts at most, and the watcher gives up 20 s after the last.
            let text = String(repeating: "long message ", count: 300)
            let state = Shared((dropped: false, posted: false))
            let watcher = Task {
                var waitedAfterPosts = 0
                // The stream counts once its hello is answered; only a count back at 0 after that is a drop.
                var counted = false
                while waitedAfterPosts < 1_000 {
                    let metrics = try await market.http.call("GET", "/metrics")
                    let line = metrics.text.split(separator: "\n").first { $0.hasPrefix("parley_stream_connections ") }
                    let value = line?.split(separator: " ").last.flatMap { Double($0) }
                    if value == 1 { counted = true }
                    if counted, value == 0 {
                        state.value.withLock { $0.dropped = true }
                        return
                    }
                    if state.value.withLock({ $0.posted }) { waitedAfterPosts += 1 }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let acks = try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var offsets: [Int] = []
                        var index = worker
                        while index < 3_000, !state.value.withLock({ $0.dropped }) {
                            let ack = try await market.post(text, as: market.buyer, clientId: "s-\(index)")
                            offsets.append(try #require(ack["offset"] as? Int, "\(ack)"))
                            index += 8
                        }
                        return offsets
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }.sorted()
            }
            state.value.withLock { $0.posted = true }
            try await watcher.value
            try #require(state.value.withLock { $0.dropped }, "the server never dropped the stream that read nothing (\(acks.count) posts)")
            try await slow.resumeReading()
            #expect(try await slow.closeCode(timeout: .seconds(30)) == 4409)
            // What arrived before the close is a gap-free prefix of the updates.
            let texts = slow.frames().texts
            let live = try #require(texts.first { $0["type"] as? String == "live" }, "\(texts.prefix(3))")
            let received = texts.filter { $0["type"] as? String == "update" }.map { $0["offset"] as? Int ?? 0 }
            await slow.close()
            // The posts start as the stream starts: those at or before its `live` offset are in its snapshot.
            let afterLive = acks.filter { $0 > live["offset"] as? Int ?? 0 }
            #expect(received.count < afterLive.count)
            #expect(received == Array(afterLive.prefix(received.count)))
            // Resuming from the last offset received delivers exactly the rest.
            let again = try await StreamClient.connect(port: server.port, token: market.vendor)
            try await again.hello(offset: Int64(received.last ?? (live["offset"] as? Int ?? 0)), epoch: live["epoch"] as? String)
            let (rest, _) = try await again.untilLive(timeout: .seconds(30))
            #expect(received + rest.map { $0["offset"] as? Int ?? 0 } == afterLive)
            await again.close()
        }
    }
}
