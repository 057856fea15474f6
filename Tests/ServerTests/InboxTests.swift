import Foundation
import ParleyTestSupport
import Testing

/// `GET /v1/inbox` and `/v1/unread` from the stored inbox: filters, sorts, search, keyset paging.
@Suite("the inbox from its table")
struct InboxTests {
    /// A vendor with conversations from buyers named `names`, each about a listing titled after it.
    static func vendorWithBuyers(_ server: ServerProcess, names: [String]) async throws -> (vendor: String, buyers: [String], conversations: [String], offset: Int) {
        let tag = UUID().uuidString.prefix(8)
        let vendorId = "vendor-\(tag)"
        let platform = Caller.platform(ServerProcess.platformKey)
        var buyers: [String] = [], conversations: [String] = []
        var offset = 0
        for (index, name) in names.enumerated() {
            let buyerId = "buyer-\(index)-\(tag)"
            _ = try await server.http.call("PUT", "/v1/platform/users/\(buyerId)", as: platform, body: #"{"displayName":"\#(name)","role":"buyer"}"#)
            _ = try await server.http.call(
                "PUT", "/v1/platform/listings/L-\(index)-\(tag)", as: platform,
                body: #"{"vendorId":"\#(vendorId)","title":"\#(name)'s lamp, model \#(index)","priceCents":1000}"#)
            let buyer = try await Tokens.user(buyerId, "buyer")
            let started = try await server.http.call(
                "POST", "/v1/conversations", as: .bearer(buyer),
                body: #"{"vendorId":"\#(vendorId)","subject":{"kind":"listing","listingId":"L-\#(index)-\#(tag)"}}"#)
            conversations.append(try #require(started["conversationId"] as? String, "\(started)"))
            buyers.append(buyer)
            offset = started["offset"] as? Int ?? offset
        }
        return (try await Tokens.user(vendorId, "vendor"), buyers, conversations, offset)
    }

    static func post(_ server: ServerProcess, _ text: String, in conversation: String, as sender: String) async throws -> Int {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["clientMessageId": UUID().uuidString, "text": text]), as: UTF8.self)
        let answer = try await server.http.call("POST", "/v1/conversations/\(conversation)/messages", as: .bearer(sender), body: body)
        #expect(answer.status == 201, "\(answer)")
        return answer["offset"] as? Int ?? 0
    }

    static func ids(_ answer: Answer) -> [String] {
        (answer["items"] as? [[String: Any]])?.compactMap { $0["conversationId"] as? String } ?? []
    }

    @Test("filters, unread-first order, substring search of names and titles, and pages that neither skip nor repeat")
    func readsFromTheTable() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let names = ["Alice Martin", "Bob Stone", "Carla Alison", "Dan Brown", "Eve Salis"]
            let (vendor, buyers, conversations, _) = try await Self.vendorWithBuyers(server, names: names)
            // Buyers 1 and 3 wrote (unread for the vendor); the vendor answered buyer 3, then buyer 4 wrote last.
            _ = try await Self.post(server, "Still available?", in: conversations[1], as: buyers[1])
            _ = try await Self.post(server, "Can you ship?", in: conversations[3], as: buyers[3])
            _ = try await Self.post(server, "Yes, tomorrow", in: conversations[3], as: vendor)
            let last = try await Self.post(server, "Price?", in: conversations[4], as: buyers[4])
            func inbox(_ query: String) async throws -> Answer {
                let answer = try await server.http.call("GET", "/v1/inbox?after=\(last)&\(query)", as: .bearer(vendor))
                #expect(answer.status == 200, "\(query): \(answer)")
                return answer
            }
            let all = try await inbox("")
            #expect(Self.ids(all) == [4, 3, 1, 2, 0].map { conversations[$0] }, "most recent activity first")
            #expect(try #require(all["offset"] as? Int) >= last)
            #expect(Set(Self.ids(try await inbox("filter=unread"))) == Set([conversations[1], conversations[3], conversations[4]]))
            #expect(Set(Self.ids(try await inbox("filter=awaiting_reply"))) == Set([conversations[1], conversations[4]]))
            let unreadFirst = Self.ids(try await inbox("sort=unread_first"))
            #expect(Set(unreadFirst.prefix(3)) == Set([conversations[1], conversations[3], conversations[4]]))
            #expect(Set(unreadFirst.suffix(2)) == Set([conversations[0], conversations[2]]))
            // "ali" is in Alice, Alison and Salis: a substring, any case, of names; "model 3" of a title.
            #expect(Set(Self.ids(try await inbox("q=ALI"))) == Set([conversations[0], conversations[2], conversations[4]]))
            #expect(Self.ids(try await inbox("q=model%203")) == [conversations[3]])
            #expect(Self.ids(try await inbox("q=%25")).isEmpty, "LIKE wildcards are literal")
            // Pages of two, in both sorts, add up to the whole inbox once each.
            for sort in ["recent", "unread_first"] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await inbox("sort=\(sort)&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                    seen += Self.ids(page)
                    cursor = page["nextCursor"] as? String
                } while cursor != nil
                #expect(seen == Self.ids(try await inbox("sort=\(sort)")), "\(sort)")
            }
            let unread = try await server.http.call("GET", "/v1/unread?after=\(last)", as: .bearer(vendor))
            #expect(unread["total"] as? Int == 3)
            #expect((unread["conversations"] as? [String: Int])?.count == 3)
            // Bad parameters are refused.
            let recentCursor = try #require(try await inbox("limit=1")["nextCursor"] as? String)
            for query in ["sort=sideways", "filter=starred", "limit=0", "cursor=nonsense", "sort=unread_first&cursor=\(recentCursor)",
                          "q=\(String(repeating: "x", count: 101))"] {
                let answer = try await server.http.call("GET", "/v1/inbox?\(query)", as: .bearer(vendor))
                #expect(answer.status == 400 && answer.errorCode == "invalid_request", "\(query): \(answer)")
            }
            #expect(await server.stop() == 0)
        }
    }
}
