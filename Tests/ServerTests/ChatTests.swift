import Foundation
import ParleyTestSupport
import Testing

@Suite("buyer and vendor chat over the stream, with real sockets")
struct ChatTests {
    @Test("a buyer and a vendor chat end to end: messages, acks, receipts and unread counts follow")
    func endToEnd() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let buyer = try await StreamClient.connect(port: server.port, token: market.buyer)
            let vendor = try await StreamClient.connect(port: server.port, token: market.vendor, carrier: .subprotocol)
            try await buyer.hello()
            try await vendor.hello()
            let (vendorSnapshot, vendorLive) = try await vendor.untilLive()
            #expect(vendorSnapshot.first?["type"] as? String == "snapshot")
            #expect(vendorSnapshot.first?["reason"] as? String == "initial")
            let rows = vendorSnapshot.first?["inbox"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["conversationId"] as? String } == [market.conversationId])
            #expect(rows.first?["version"] as? Int == 1)
            _ = try await buyer.untilLive()

            try await buyer.send(
                #"{"type":"send","id":"r1","conversationId":"\#(market.conversationId)","clientMessageId":"hello-1","text":"Is it still available?"}"#)
            let ack = try await buyer.next(type: "ack")
            #expect(ack["ref"] as? String == "r1")
            #expect(ack["duplicate"] as? Bool == false)
            #expect(ack["version"] as? Int == 2)
            let messageId = try #require(ack["messageId"] as? String)

            let update = try await vendor.next(type: "update")
            #expect(update["kind"] as? String == "message.added")
            #expect(update["offset"] as? Int == ack["offset"] as? Int)
            #expect(update["offset"] as? Int ?? 0 > vendorLive["offset"] as? Int ?? .max)
            #expect(update["version"] as? Int == 2)
            #expect((update["data"] as? [String: Any])?["text"] as? String == "Is it still available?")
            let row = (update["inbox"] as? [[String: Any]])?.first
            #expect(row?["unreadCount"] as? Int == 1)
            #expect(row?["awaitingReply"] as? Bool == true)

            // A retry of the same client message id is acknowledged with the original, and nothing new is sent.
            try await buyer.send(
                #"{"type":"send","id":"r2","conversationId":"\#(market.conversationId)","clientMessageId":"hello-1","text":"Is it still available?"}"#)
            let duplicate = try await buyer.next(type: "ack")
            #expect(duplicate["duplicate"] as? Bool == true)
            #expect(duplicate["messageId"] as? String == messageId)
            #expect(duplicate["offset"] as? Int == ack["offset"] as? Int)

            try await vendor.send(#"{"type":"delivered","id":"d1","conversationId":"\#(market.conversationId)","upToMessageId":"\#(messageId)"}"#)
            try await vendor.send(#"{"type":"read","id":"w1","conversationId":"\#(market.conversationId)","upToMessageId":"\#(messageId)"}"#)
            var buyerKinds: [String] = []
            while buyerKinds.count < 3 { buyerKinds.append(try await buyer.next(type: "update")["kind"] as? String ?? "") }
            #expect(buyerKinds == ["message.added", "receipt.delivered", "receipt.read"])
            var vendorUpdates: [[String: Any]] = []
            while vendorUpdates.count < 2 { vendorUpdates.append(try await vendor.next(type: "update")) }
            #expect(vendorUpdates.map { $0["version"] as? Int } == [3, 4])
            let readRow = (vendorUpdates[1]["inbox"] as? [[String: Any]])?.first
            #expect(readRow?["unreadCount"] as? Int == 0)

            let readAck = try await vendor.next(type: "ack")
            #expect(readAck["ref"] as? String == "d1")
            let lastAck = try await vendor.next(type: "ack")
            let unread = try await market.http.call("GET", "/v1/unread?after=\(lastAck["offset"] as? Int ?? 0)", as: .bearer(market.vendor))
            #expect(unread["total"] as? Int == 0)

            // The vendor replies over HTTP; the buyer's stream shows it, awaiting reply now on the vendor's side is off.
            let reply = try await market.post("Yes, it is!", as: market.vendor)
            #expect(reply.status == 201)
            let replyUpdate = try await buyer.next(type: "update")
            #expect(replyUpdate["kind"] as? String == "message.added")
            #expect(((replyUpdate["inbox"] as? [[String: Any]])?.first)?["unreadCount"] as? Int == 1)
            let inbox = try await market.http.call("GET", "/v1/inbox?after=\(reply["offset"] as? Int ?? 0)", as: .bearer(market.buyer))
            let buyerRow = (inbox["items"] as? [[String: Any]])?.first
            #expect(buyerRow?["unreadCount"] as? Int == 1)
            #expect((buyerRow?["counterpart"] as? [String: Any])?["name"] as? String == "Vic Vendor")
            let history = try await market.http.call("GET", "/v1/conversations/\(market.conversationId)/messages", as: .bearer(market.buyer))
            #expect((history["items"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1, 2, 3, 4, 5])
            await buyer.close()
            await vendor.close()
            #expect(await server.stop() == 0)
        }
    }

    @Test("a client that reconnects with its offset gets exactly the updates it missed, once, in order, then live")
    func resume() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (offset, epoch) = try await StreamClient.resumePoint(port: server.port, token: market.vendor)

            var acks: [Int] = []
            for index in 0..<25 {
                let ack = try await market.post("message \(index)", as: market.buyer)
                acks.append(try #require(ack["offset"] as? Int))
            }
            // Noise for another conversation must not reach this vendor.
            let noise = try await Marketplace.open(on: server)
            try await noise.post("unrelated", as: noise.buyer)

            let again = try await StreamClient.connect(port: server.port, token: market.vendor, carrier: .query)
            try await again.hello(offset: Int64(offset), epoch: epoch)
            let (missed, resumedLive) = try await again.untilLive()
            #expect(missed.allSatisfy { $0["type"] as? String == "update" })
            #expect(missed.map { $0["offset"] as? Int ?? 0 } == acks)
            #expect(missed.map { $0["version"] as? Int ?? 0 } == Array(2...26))
            #expect(missed.map { ($0["data"] as? [String: Any])?["text"] as? String } == (0..<25).map { "message \($0)" })
            #expect(resumedLive["offset"] as? Int ?? 0 >= acks.last ?? .max)

            // Live from there: the next message arrives once. Offsets strictly increase along a
            // connection, so a second copy of it would come before the update of a later message.
            let next = try await market.post("after the reconnect", as: market.buyer)
            let update = try await again.next(type: "update")
            #expect(update["offset"] as? Int == next["offset"] as? Int)
            #expect(update["version"] as? Int == 27)
            let later = try await market.post("and one more", as: market.buyer)
            let following = try await again.next(type: "update")
            #expect(following["offset"] as? Int == later["offset"] as? Int, "the next update is the later message's, not a second copy: \(following)")
            #expect(following["version"] as? Int == 28)
            await again.close()
        }
    }

    @Test("a client from another epoch, or too far behind, gets a snapshot and live updates after exactly its offset")
    func reset() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--max-resume-updates", "5"])
            let market = try await Marketplace.open(on: server)
            let (first, _, live) = try await StreamClient.live(port: server.port, token: market.vendor)
            let epoch = try #require(live["epoch"] as? String)
            await first.close()

            let stranger = try await StreamClient.connect(port: server.port, token: market.vendor)
            try await stranger.hello(offset: Int64(live["offset"] as? Int ?? 0), epoch: "00000000-0000-0000-0000-000000000000")
            let (snapshot, _) = try await stranger.untilLive()
            #expect(snapshot.first?["reason"] as? String == "epoch_changed")
            await stranger.close()

            for index in 0..<8 { try await market.post("message \(index)", as: market.buyer) }
            let behind = try await StreamClient.connect(port: server.port, token: market.vendor)
            try await behind.hello(offset: Int64(live["offset"] as? Int ?? 0), epoch: epoch)
            let (pages, snapshotLive) = try await behind.untilLive()
            #expect(pages.count == 1)
            #expect(pages.first?["reason"] as? String == "too_far_behind")
            #expect(pages.first?["last"] as? Bool == true)
            let row = (pages.first?["inbox"] as? [[String: Any]])?.first
            #expect(row?["unreadCount"] as? Int == 8)
            #expect(row?["version"] as? Int == 9)
            #expect(snapshotLive["offset"] as? Int == pages.first?["offset"] as? Int)

            let next = try await market.post("after the snapshot", as: market.buyer)
            let update = try await behind.next(type: "update")
            #expect(update["offset"] as? Int == next["offset"] as? Int)
            #expect(update["version"] as? Int == 10)
            await behind.close()
        }
    }

    @Test("a client that resumes after staff redacted a message it missed never receives the original text")
    func resumeAfterRedaction() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (vendor, _, live) = try await StreamClient.live(port: server.port, token: market.vendor)
            let offset = try #require(live["offset"] as? Int)
            await vendor.close()
            let secret = "the parcel code is ZEBRA-4471, keep it quiet"
            let sent = try await market.post(secret, as: market.buyer)
            let messageId = try #require(sent["messageId"] as? String)
            let redacted = try await market.http.call(
                "POST", "/v1/staff/conversations/\(market.conversationId)/messages/\(messageId)/redact", as: .bearer(market.staff),
                body: #"{"reason":"shared a private code"}"#)
            #expect(redacted.status == 201)
            let again = try await StreamClient.connect(port: server.port, token: market.vendor)
            try await again.hello(offset: Int64(offset), epoch: live["epoch"] as? String)
            let (missed, _) = try await again.untilLive()
            #expect(missed.map { $0["kind"] as? String } == ["message.added", "message.redacted"])
            #expect(missed.first?["redacted"] as? Bool == true)
            #expect((missed.first?["data"] as? [String: Any])?["text"] as? String == "")
            #expect(!missed.contains { String(describing: $0).contains("ZEBRA") })
            await again.close()
        }
    }
}
