import Foundation
import ParleyTestSupport
import Testing

/// The moderation pipeline on every path that creates a message, end to end over real sockets:
/// what is stored, what each side is shown, and the decision in the log.
@Suite("every message goes through moderation before it is appended")
struct ModerationPipelineTests {
    static let phone = "call me on 07911 123456 tonight"

    /// Items of `user`'s history of the conversation.
    static func history(_ market: Marketplace, as user: String) async throws -> [[String: Any]] {
        let answer = try await market.http.call("GET", "/v1/conversations/\(market.conversationId)/messages", as: .bearer(user))
        return try #require(answer["items"] as? [[String: Any]], "\(answer)")
    }

    static func post(_ market: Marketplace, _ body: [String: Any], as sender: String) async throws -> Answer {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        return try await market.http.call("POST", "/v1/conversations/\(market.conversationId)/messages", as: .bearer(sender), body: json)
    }

    @Test("HTTP: a phone number before an order is bounced with reasons and spans; only the decision is logged, once, and only the sender sees it")
    func httpBounce() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let before = try await BadInputTests.head(market.http)
            let refused = try await market.post(Self.phone, as: market.buyer, clientId: "bounce-1")
            #expect(refused.status == 422, "\(refused)")
            #expect(refused.errorCode == "message_blocked")
            let error = try #require(refused["error"] as? [String: Any])
            #expect((error["message"] as? String)?.contains("phone number") == true)
            let details = try #require(error["details"] as? [String: Any])
            #expect(details["action"] as? String == "bounce")
            #expect(details["classes"] as? [String] == ["phone_number"])
            let span = try #require((details["spans"] as? [[String: Any]])?.first)
            let start = try #require(span["start"] as? Int), length = try #require(span["length"] as? Int)
            let utf16 = Array(Self.phone.utf16)
            #expect(String(decoding: utf16[start..<start + length], as: UTF16.self) == "07911 123456")
            #expect(try await BadInputTests.head(market.http) == before + 1)

            // A retry is the same refusal and appends nothing.
            let retry = try await market.post(Self.phone, as: market.buyer, clientId: "bounce-1")
            #expect(retry.status == 422 && retry.errorCode == "message_blocked")
            #expect(try await BadInputTests.head(market.http) == before + 1)

            let mine = try await Self.history(market, as: market.buyer)
            #expect(!mine.contains { $0["kind"] as? String == "message.added" })
            let decision = try #require(mine.first { $0["kind"] as? String == "message.moderated" })
            let data = try #require(decision["data"] as? [String: Any])
            #expect(data["action"] as? String == "bounce")
            #expect(data["originalText"] as? String == Self.phone)
            #expect((data["statementOfReasons"] as? String)?.contains("not sent") == true)
            let theirs = try await Self.history(market, as: market.vendor)
            #expect(theirs.map { $0["kind"] as? String } == ["conversation.started"])
            #expect(await server.stop() == 0)
        }
    }

    @Test("WebSocket send: a bounced message gets an error frame with its ref and the reasons; the counterpart's stream hears nothing")
    func streamBounce() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let vendor = try await StreamClient.live(port: server.port, token: market.vendor).client
            let buyer = try await StreamClient.live(port: server.port, token: market.buyer).client
            try await buyer.send(
                #"{"type":"send","id":"s1","conversationId":"\#(market.conversationId)","clientMessageId":"ws-1","text":"add me on WhatsApp"}"#)
            let error = try await buyer.next(type: "error")
            #expect(error["ref"] as? String == "s1")
            #expect(error["code"] as? String == "message_blocked")
            #expect((error["details"] as? [String: Any])?["classes"] as? [String] == ["messaging_app"])
            let own = try await buyer.next(type: "update")
            #expect(own["kind"] as? String == "message.moderated")
            // The vendor's stream carries the decision's offset as a hidden update only, then the next real message.
            let hidden = try await vendor.next(type: "update")
            #expect(hidden["kind"] as? String == "hidden")
            #expect(hidden["data"] == nil)
            try await buyer.send(
                #"{"type":"send","id":"s2","conversationId":"\#(market.conversationId)","clientMessageId":"ws-2","text":"Is it still available?"}"#)
            #expect(try await buyer.next(type: "ack")["ref"] as? String == "s2")
            let added = try await vendor.next(type: "update")
            #expect(added["kind"] as? String == "message.added")
            #expect((added["data"] as? [String: Any])?["text"] as? String == "Is it still available?")
            await buyer.close()
            await vendor.close()
            #expect(await server.stop() == 0)
        }
    }

    @Test("automated messages are moderated like typed ones")
    func automated() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let answer = try await Self.post(
                market, ["clientMessageId": "auto-1", "text": "Pay me directly via Zelle and save the fees", "automated": true], as: market.vendor)
            #expect(answer.status == 422 && answer.errorCode == "message_blocked", "\(answer)")
            #expect(((answer["error"] as? [String: Any])?["details"] as? [String: Any])?["classes"] as? [String] == ["off_platform_payment"])
            #expect(await server.stop() == 0)
        }
    }

    @Test("a send from a saved reply template is moderated like a typed one: contact details in a template are bounced, nothing reaches the buyer")
    func template() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let text = "Thanks for asking! For a quicker answer call me on 07911 123456"
            let saved = try await market.http.call(
                "PUT", "/v1/templates/quick", as: .bearer(market.vendor), body: #"{"name":"Quick answer","text":"\#(text)"}"#)
            #expect(saved.status == 200 || saved.status == 201, "\(saved)")
            let before = try await BadInputTests.head(market.http)
            let answer = try await Self.post(market, ["clientMessageId": "template-1", "text": text, "templateId": "quick"], as: market.vendor)
            #expect(answer.status == 422 && answer.errorCode == "message_blocked", "\(answer)")
            #expect(((answer["error"] as? [String: Any])?["details"] as? [String: Any])?["classes"] as? [String] == ["phone_number"])
            #expect(try await BadInputTests.head(market.http) == before + 1, "only the decision is logged")
            let decision = try #require(try await Self.history(market, as: market.vendor).first { $0["kind"] as? String == "message.moderated" })
            #expect((decision["data"] as? [String: Any])?["originalText"] as? String == text)
            let theirs = try await Self.history(market, as: market.buyer)
            #expect(theirs.map { $0["kind"] as? String } == ["conversation.started"])
            #expect(await server.stop() == 0)
        }
    }

    @Test("a mask policy stores the message masked: the counterpart never receives the number, the sender is told and keeps the original")
    func mask() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--contact-before-order", "mask"])
            let market = try await Marketplace.open(on: server)
            let vendor = try await StreamClient.live(port: server.port, token: market.vendor).client
            let ack = try await market.post(Self.phone, as: market.buyer)
            #expect(ack.status == 201, "\(ack)")
            let moderation = try #require(ack["moderation"] as? [String: Any])
            #expect(moderation["action"] as? String == "mask")
            let added = try await vendor.next(type: "update")
            #expect(added["kind"] as? String == "message.added")
            #expect((added["data"] as? [String: Any])?["text"] as? String == "call me on [hidden] tonight")
            #expect(try await vendor.next(type: "update")["kind"] as? String == "hidden")
            let theirs = try await Self.history(market, as: market.vendor)
            #expect(!String(describing: theirs).contains("07911"))
            let mine = try await Self.history(market, as: market.buyer)
            let decision = try #require(mine.first { $0["kind"] as? String == "message.moderated" }?["data"] as? [String: Any])
            #expect(decision["originalText"] as? String == Self.phone)
            #expect(decision["messageId"] as? String == ack["messageId"] as? String)
            await vendor.close()
            #expect(await server.stop() == 0)
        }
    }

    @Test("once an order exists, delivery details pass (recorded as allowed after a match) and payment elsewhere is flagged, both delivered")
    func withOrder() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let started = try #require(try await Self.history(market, as: market.buyer).first?["data"] as? [String: Any])
            let buyerId = try #require(started["buyerId"] as? String), vendorId = try #require(started["vendorId"] as? String)
            let order = try await market.http.call(
                "POST", "/v1/platform/orders/O-\(UUID().uuidString.prefix(8))/state", as: market.platform,
                body: #"{"buyerId":"\#(buyerId)","vendorId":"\#(vendorId)","state":"placed"}"#)
            #expect(order.status == 200, "\(order)")
            let phone = try await market.post(Self.phone, as: market.buyer)
            #expect(phone.status == 201, "\(phone)")
            #expect((phone["moderation"] as? [String: Any])?["action"] as? String == "allow_after_match")
            let payment = try await market.post("you can also pay me on venmo", as: market.vendor)
            #expect(payment.status == 201, "\(payment)")
            #expect((payment["moderation"] as? [String: Any])?["action"] as? String == "flag")
            let theirs = try await Self.history(market, as: market.vendor)
            #expect(theirs.contains { ($0["data"] as? [String: Any])?["text"] as? String == Self.phone })
            let plain = try await market.post("Thanks, shipping tomorrow", as: market.vendor)
            #expect(plain.status == 201 && plain["moderation"] == nil)
            #expect(await server.stop() == 0)
        }
    }

    @Test("a number sent in pieces, with the counterpart's message between them, is caught on the piece that completes it")
    func splitAcrossMessages() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            #expect(try await market.post("07911", as: market.buyer).status == 201)
            #expect(try await market.post("ok?", as: market.vendor).status == 201)
            #expect(try await market.post("123", as: market.buyer).status == 201)
            let last = try await market.post("456", as: market.buyer)
            #expect(last.status == 422 && last.errorCode == "message_blocked", "\(last)")
            #expect(await server.stop() == 0)
        }
    }
}
