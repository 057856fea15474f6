import Foundation
import ParleyTestSupport
import Testing

/// "Who read conversation X, when and why": every staff path that returns conversation content
/// records a view with its reason, and the audit route lists them without returning content.
@Suite("staff views")
struct StaffViewsTests {
    static func views(_ market: Marketplace, _ query: String = "", of conversation: String? = nil, as caller: String? = nil) async throws -> Answer {
        try await market.http.call(
            "GET", "/v1/staff/conversations/\(conversation ?? market.conversationId)/views?\(query)", as: .bearer(caller ?? market.staff))
    }

    /// Polls the staff search until it returns a message (the search projection trails the log);
    /// searches that return no message record no view.
    static func search(_ market: Marketplace, _ query: String) async throws -> [[String: Any]] {
        for _ in 0..<200 {
            let answer = try await market.http.call("GET", "/v1/staff/search?\(query)", as: .bearer(market.staff))
            #expect(answer.status == 200, "\(answer)")
            if let messages = answer["messages"] as? [[String: Any]], !messages.isEmpty { return messages }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("the search \(query) found no message")
        return []
    }

    @Test("a read through the timeline, the search and the review queue each shows up with its reason; the audit adds nothing", .timeLimit(.minutes(2)))
    func audit() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let sent = try await market.post("is the saddle original equipment", as: market.buyer)
            let messageId = try #require(sent["messageId"] as? String, "\(sent)")
            let flag = try await market.http.call(
                "POST", "/v1/conversations/\(market.conversationId)/messages/\(messageId)/flags", as: .bearer(market.vendor),
                body: #"{"reason":"spam"}"#)
            #expect(flag.status == 201, "\(flag)")
            let empty = try await Self.views(market)
            #expect(empty.status == 200 && (empty["items"] as? [Any])?.isEmpty == true && empty["next"] is NSNull, "\(empty)")

            let timeline = try await market.http.call(
                "GET", "/v1/staff/conversations/\(market.conversationId)/timeline?reason=dispute%20D-1", as: .bearer(market.staff))
            #expect(timeline.status == 200, "\(timeline)")
            #expect(try await Self.search(market, "q=saddle&reason=fraud%20check").count == 1)
            #expect(try await ReviewQueueTests.items(market, "reason=daily%20review", count: 1).first?["messageId"] as? String == messageId)

            let head = try await BadInputTests.head(market.http)
            let answer = try await Self.views(market)
            #expect(answer.status == 200, "\(answer)")
            let items = try #require(answer["items"] as? [[String: Any]])
            #expect(items.map { $0["reason"] as? String } == ["dispute D-1", "fraud check (search: saddle)", "daily review (review queue)"])
            #expect(Set(items.compactMap { $0["staffId"] as? String }).count == 1 && items.allSatisfy { $0["at"] is String })
            let offsets = items.compactMap { $0["offset"] as? Int }
            #expect(offsets.count == 3 && offsets == offsets.sorted() && offsets.last ?? 0 <= head)
            #expect(!answer.text.contains("saddle original"), "the audit returns no message text")
            #expect(try await BadInputTests.head(market.http) == head, "listing the views records no view")

            // Keyset paging: one view a page, in the same order, then the end.
            var reasons: [String] = []
            var cursor: String?
            for _ in 0..<4 {
                let page = try await Self.views(market, "limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""))
                reasons += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
                cursor = page["next"] as? String
                if cursor == nil { break }
            }
            #expect(reasons == items.compactMap { $0["reason"] as? String } && cursor == nil)
            #expect(await server.stop() == 0)
        }
    }

    @Test("participants and strangers get 403, bad ids, cursors and limits 400, an unknown conversation 404; nothing is written")
    func badInput() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let head = try await BadInputTests.head(market.http)
            let cases: [(query: String, conversation: String?, caller: String?, status: Int, code: String)] = [
                ("", nil, market.buyer, 403, "forbidden"),
                ("", nil, market.vendor, 403, "forbidden"),
                ("", nil, market.otherBuyer, 403, "forbidden"),
                ("limit=0", nil, nil, 400, "invalid_request"),
                ("limit=201", nil, nil, 400, "invalid_request"),
                ("cursor=%%%", nil, nil, 400, "invalid_request"),
                ("cursor=MA", nil, nil, 400, "invalid_request"),
                ("", String(repeating: "c", count: 201), nil, 400, "invalid_request"),
                ("", "c_nothing", nil, 404, "conversation_not_found"),
            ]
            for item in cases {
                let answer = try await Self.views(market, item.query, of: item.conversation, as: item.caller)
                #expect(answer.status == item.status && answer.errorCode == item.code, "\(item.query) \(item.conversation ?? ""): \(answer)")
            }
            let anonymous = try await market.http.call("GET", "/v1/staff/conversations/\(market.conversationId)/views")
            #expect(anonymous.status == 401, "\(anonymous)")
            #expect(try await BadInputTests.head(market.http) == head)
            #expect(await server.stop() == 0)
        }
    }

    @Test("bad search input: missing or over-long q, blank or over-long reason, limit 0 get a clear 4xx and record no view", .timeLimit(.minutes(2)))
    func searchBadInput() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            #expect(try await market.post("is the saddle original equipment", as: market.buyer).status == 201)
            // The search would find the message (and record a view) were the input good.
            #expect(try await Self.search(market, "q=saddle&reason=setup").count == 1)
            let head = try await BadInputTests.head(market.http)
            let cases: [(query: String, status: Int, code: String, mentions: String)] = [
                ("reason=audit", 400, "invalid_request", "`q`"),
                ("q=&reason=audit", 400, "invalid_request", "`q`"),
                ("q=\(String(repeating: "s", count: 201))&reason=audit", 400, "invalid_request", "`q`"),
                ("q=saddle", 400, "invalid_request", "`reason`"),
                ("q=saddle&reason=", 400, "invalid_request", "`reason`"),
                ("q=saddle&reason=%20%20%20", 400, "invalid_request", "`reason`"),
                ("q=saddle&reason=\(String(repeating: "r", count: 281))", 413, "payload_too_large", "`reason`"),
                ("q=saddle&reason=audit&limit=0", 400, "invalid_request", "`limit`"),
            ]
            for item in cases {
                let answer = try await market.http.call("GET", "/v1/staff/search?\(item.query)", as: .bearer(market.staff))
                #expect(answer.status == item.status && answer.errorCode == item.code, "\(item.query.prefix(60)): \(answer)")
                let message = (answer["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(item.mentions), "\(item.query.prefix(60)): \(message)")
            }
            #expect(try await BadInputTests.head(market.http) == head, "no view was recorded")
            #expect((try await Self.views(market)["items"] as? [[String: Any]])?.map { $0["reason"] as? String } == ["setup (search: saddle)"])
            #expect(await server.stop() == 0)
        }
    }
}
