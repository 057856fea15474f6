import Foundation
import ParleyTestSupport
import Testing

/// New accounts' stricter limits, end to end.
@Suite("new accounts")
struct NewAccountTests {
    static func post(_ market: Marketplace, _ body: [String: Any], as sender: String) async throws -> Answer {
        var body = body
        body["clientMessageId"] = UUID().uuidString
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        return try await market.http.call("POST", "/v1/conversations/\(market.conversationId)/messages", as: .bearer(sender), body: json)
    }

    @Test("a new account's attachment waits for the vendor's first reply; the hourly limit refuses the message over it; nothing refused is stored")
    func limits() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--new-account-messages-per-hour", "4"])
            let market = try await Marketplace.open(on: server)
            let photo: [String: Any] = ["text": "", "attachment": ["name": "damage.png", "contentType": "image/png", "bytes": 1234]]
            let head = try await BadInputTests.head(market.http)
            let held = try await Self.post(market, photo, as: market.buyer)
            #expect(held.status == 422 && held.errorCode == "held_until_reply", "\(held)")
            #expect(try await BadInputTests.head(market.http) == head)
            #expect(try await Self.post(market, ["text": "Hello, is the bike still for sale?"], as: market.buyer).status == 201)
            #expect(try await Self.post(market, ["text": "Yes it is"], as: market.vendor).status == 201)
            // Once the vendor replied (counted from the log, whatever the projector's lag), the photo goes through.
            #expect(try await Self.post(market, photo, as: market.buyer).status == 201)
            #expect(try await Self.post(market, ["text": "Great"], as: market.buyer).status == 201)
            #expect(try await Self.post(market, ["text": "When can I come?"], as: market.buyer).status == 201)
            let over = try await Self.post(market, ["text": "Hello?"], as: market.buyer)
            #expect(over.status == 429 && over.errorCode == "new_account_limit", "\(over)")
            // The vendor has their own count.
            #expect(try await Self.post(market, ["text": "Tomorrow at 10"], as: market.vendor).status == 201)
            #expect(await server.stop() == 0)
        }
    }
}
