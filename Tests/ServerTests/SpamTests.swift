import Foundation
import ParleyTestSupport
import Testing

/// Near-duplicate spam across conversations, end to end: what is delivered, flagged and refused.
@Suite("near-duplicate spam")
struct SpamTests {
    static let offer = "Hello! Great news: our premium phone cases are 50% off today only, visit our shop"

    /// A buyer (or vendor) token and `count` conversations with distinct counterparts.
    static func conversations(_ server: ServerProcess, count: Int) async throws -> (buyer: String, ids: [String], vendors: [String]) {
        let tag = UUID().uuidString.prefix(8)
        let buyer = try await Tokens.user("spammer-\(tag)", "buyer")
        var ids: [String] = [], vendors: [String] = []
        for index in 0..<count {
            let vendor = "vendor-\(index)-\(tag)"
            let started = try await server.http.call(
                "POST", "/v1/conversations", as: .bearer(buyer), body: #"{"vendorId":"\#(vendor)","subject":{"kind":"general"}}"#)
            ids.append(try #require(started["conversationId"] as? String, "\(started)"))
            vendors.append(try await Tokens.user(vendor, "vendor"))
        }
        return (buyer, ids, vendors)
    }

    static func post(_ server: ServerProcess, _ text: String, in conversation: String, as sender: String) async throws -> Answer {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["clientMessageId": UUID().uuidString, "text": text]), as: UTF8.self)
        return try await server.http.call("POST", "/v1/conversations/\(conversation)/messages", as: .bearer(sender), body: body)
    }

    @Test("the same offer, lightly reworded, to six conversations: four delivered, the fifth delivered and flagged, the sixth refused; short questions never count")
    func nearDuplicates() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let (buyer, ids, _) = try await Self.conversations(server, count: 6)
            for id in ids { #expect(try await Self.post(server, "Is it still available?", in: id, as: buyer).status == 201) }
            var statuses: [Int] = []
            for (index, id) in ids.enumerated() {
                let text = index == 3 ? Self.offer.replacingOccurrences(of: "50%", with: "60%") : Self.offer
                let answer = try await Self.post(server, text, in: id, as: buyer)
                statuses.append(answer.status)
                if answer.status == 429 {
                    #expect(answer.errorCode == "spam_throttled")
                    #expect(((answer["error"] as? [String: Any])?["message"] as? String)?.contains("6 conversations") == true)
                }
            }
            #expect(statuses == [201, 201, 201, 201, 201, 429])
            // The fifth is in the review queue as an automatic spam flag; the first four are not.
            let staff = try await Tokens.user("staff-spam", "staff")
            var items: [[String: Any]] = []
            for _ in 0..<200 where items.isEmpty {
                items = try await server.http.call("GET", "/v1/staff/review-queue?reason=spam%20sweep&source=automatic", as: .bearer(staff))["items"]
                    as? [[String: Any]] ?? []
                if items.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(items.count == 1)
            #expect(items.first?["conversationId"] as? String == ids[4])
            #expect(items.first?["rule"] as? String == "flag.spam" && items.first?["snippet"] as? String == Self.offer)
            // The refused one is not in the log: the sixth conversation holds the question only.
            let sixth = try await server.http.call("GET", "/v1/conversations/\(ids[5])/messages", as: .bearer(buyer))
            #expect((sixth["items"] as? [[String: Any]])?.compactMap { ($0["data"] as? [String: Any])?["text"] as? String }
                == ["Is it still available?"])
            #expect(await server.stop() == 0)
        }
    }

    @Test("a vendor's own saved reply template, sent as that template, is exempt")
    func templatesAreExempt() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let tag = UUID().uuidString.prefix(8)
            let vendorId = "vendor-\(tag)"
            let vendor = try await Tokens.user(vendorId, "vendor")
            let text = "Thanks for your order! It ships within two working days with tracking by email"
            let saved = try await server.http.call(
                "PUT", "/v1/templates/shipping", as: .bearer(vendor), body: #"{"name":"Shipping","text":"\#(text)"}"#)
            #expect(saved.status == 200 || saved.status == 201, "\(saved)")
            var ids: [String] = []
            for index in 0..<7 {
                let buyer = try await Tokens.user("buyer-\(index)-\(tag)", "buyer")
                let started = try await server.http.call(
                    "POST", "/v1/conversations", as: .bearer(buyer), body: #"{"vendorId":"\#(vendorId)","subject":{"kind":"general"}}"#)
                ids.append(try #require(started["conversationId"] as? String))
            }
            for id in ids {
                let body = #"{"clientMessageId":"\#(UUID().uuidString)","text":"\#(text)","templateId":"shipping"}"#
                let answer = try await server.http.call("POST", "/v1/conversations/\(id)/messages", as: .bearer(vendor), body: body)
                #expect(answer.status == 201, "\(answer)")
            }
            // Without the template, the same text counts: six other conversations hold it already.
            let untemplated = try await Self.post(server, text, in: ids[0], as: vendor)
            #expect(untemplated.status == 429 && untemplated.errorCode == "spam_throttled", "\(untemplated)")
            #expect(await server.stop() == 0)
        }
    }
}
