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

    /// The review queue's automatic items, polled until there are some, each with its snippet (the
    /// projectors trail the log by milliseconds, and the snippet comes from the search projection,
    /// which may trail the queue's); a flag is the last event of its send, so earlier ones are in by then.
    static func automaticItems(_ server: ServerProcess) async throws -> [[String: Any]] {
        let staff = try await Tokens.user("staff-spam", "staff")
        var items: [[String: Any]] = []
        for _ in 0..<200 where items.isEmpty || items.contains(where: { $0["snippet"] is NSNull }) {
            try await Task.sleep(for: .milliseconds(25))
            items = try await server.http.call("GET", "/v1/staff/review-queue?reason=spam%20sweep&source=automatic", as: .bearer(staff))["items"]
                as? [[String: Any]] ?? []
        }
        return items
    }

    /// A conversation of `buyer` with `vendorId`: about nothing in particular, or about a new listing of theirs.
    static func start(_ server: ServerProcess, _ buyer: String, with vendorId: String, aboutListing: Bool = false) async throws -> String {
        var subject = #"{"kind":"general"}"#
        if aboutListing {
            let listing = "L-\(UUID().uuidString.prefix(8))"
            let put = try await server.http.call(
                "PUT", "/v1/platform/listings/\(listing)", as: .platform(ServerProcess.platformKey),
                body: #"{"vendorId":"\#(vendorId)","title":"Lamp","priceCents":900}"#)
            #expect(put.status == 200, "\(put)")
            subject = #"{"kind":"listing","listingId":"\#(listing)"}"#
        }
        let started = try await server.http.call(
            "POST", "/v1/conversations", as: .bearer(buyer), body: #"{"vendorId":"\#(vendorId)","subject":\#(subject)}"#)
        return try #require(started["conversationId"] as? String, "\(started)")
    }

    @Test("two conversations with the same vendor count as one recipient", .timeLimit(.minutes(2)))
    func recipientsNotConversations() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--spam-recipients", "3"])
            let tag = UUID().uuidString.prefix(8)
            let buyer = try await Tokens.user("asker-\(tag)", "buyer")
            let first = try await Self.start(server, buyer, with: "vendor-a-\(tag)")
            let second = try await Self.start(server, buyer, with: "vendor-a-\(tag)", aboutListing: true)
            let third = try await Self.start(server, buyer, with: "vendor-b-\(tag)")
            let fourth = try await Self.start(server, buyer, with: "vendor-c-\(tag)")
            #expect(Set([first, second, third, fourth]).count == 4)
            // Three conversations, two people: not yet spam. The third person is.
            for id in [first, second, third, fourth] { #expect(try await Self.post(server, Self.offer, in: id, as: buyer).status == 201) }
            let items = try await Self.automaticItems(server)
            #expect(items.map { $0["conversationId"] as? String } == [fourth], "\(items)")
            #expect(await server.stop() == 0)
        }
    }

    @Test("a send older than --spam-window-seconds no longer counts", .timeLimit(.minutes(2)))
    func window() async throws {
        try await TestDatabase.with { url in
            // A window long enough for the three sends after the pause to fall within it on a loaded machine.
            let server = try await ServerProcess(url: url, arguments: ["--spam-recipients", "3", "--spam-window-seconds", "6"])
            let (buyer, ids, _) = try await Self.conversations(server, count: 4)
            for id in ids.prefix(2) { #expect(try await Self.post(server, Self.offer, in: id, as: buyer).status == 201) }
            try await Task.sleep(for: .milliseconds(6_500))
            // Had the first two still counted, the third would be flagged and the fourth refused.
            for id in ids.suffix(2) { #expect(try await Self.post(server, Self.offer, in: id, as: buyer).status == 201) }
            // Within the window the check still counts: the first vendor again makes three people.
            #expect(try await Self.post(server, Self.offer, in: ids[0], as: buyer).status == 201)
            let items = try await Self.automaticItems(server)
            #expect(items.map { $0["conversationId"] as? String } == [ids[0]], "\(items)")
            #expect(await server.stop() == 0)
        }
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
                    #expect(((answer["error"] as? [String: Any])?["message"] as? String)?.contains("6 people") == true)
                }
            }
            #expect(statuses == [201, 201, 201, 201, 201, 429])
            // The fifth is in the review queue as an automatic spam flag; the first four are not.
            let items = try await Self.automaticItems(server)
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
