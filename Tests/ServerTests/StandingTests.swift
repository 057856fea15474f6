import Foundation
import ParleyTestSupport
import Testing

/// Escalation, shadow restriction, holds and suspension end to end, over real sockets: what the
/// sender is told, and that nothing of a withheld message reaches the recipient until staff
/// release it.
@Suite("standing")
struct StandingTests {
    /// One attempt warns, the second holds, the third restricts: short enough to walk through.
    static let steps = ["--warn-at-attempt", "1", "--hold-at-attempt", "2", "--restrict-at-attempt", "3"]

    static func ids(_ market: Marketplace) async throws -> (buyer: String, vendor: String) {
        let history = try await ModerationPipelineTests.history(market, as: market.buyer)
        let started = try #require(history.first?["data"] as? [String: Any])
        return (try #require(started["buyerId"] as? String), try #require(started["vendorId"] as? String))
    }

    static func standing(_ market: Marketplace, of user: String) async throws -> Answer {
        try await market.http.call("GET", "/v1/staff/users/\(user)/standing", as: .bearer(market.staff))
    }

    static func setStanding(_ market: Marketplace, of user: String, _ body: String, as caller: String? = nil) async throws -> Answer {
        try await market.http.call("POST", "/v1/staff/users/\(user)/standing", as: .bearer(caller ?? market.staff), body: body)
    }

    /// Polls `GET /v1/staff/users?…` until `user` is listed (the projector trails the log by
    /// milliseconds); their row, or nil after 5 s.
    static func users(_ market: Marketplace, _ query: String, containing user: String) async throws -> [String: Any]? {
        for _ in 0..<200 {
            let answer = try await market.http.call("GET", "/v1/staff/users?\(query)", as: .bearer(market.staff))
            #expect(answer.status == 200, "\(answer)")
            if let row = (answer["items"] as? [[String: Any]])?.first(where: { $0["userId"] as? String == user }) { return row }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("\(user) was not listed for \(query)")
        return nil
    }

    static func unread(_ market: Marketplace, as user: String) async throws -> Int? {
        try await market.http.call("GET", "/v1/unread?after=\(try await BadInputTests.head(market.http))", as: .bearer(user))["total"] as? Int
    }

    /// The next update frame the client gets.
    static func update(_ client: StreamClient) async throws -> [String: Any] {
        try await client.next(type: "update")
    }

    /// The client's update of the event at `offset` (an ack's); earlier updates are passed over.
    static func update(_ client: StreamClient, at offset: Any?) async throws -> [String: Any] {
        let wanted = try #require(offset as? Int, "no offset in \(String(describing: offset))")
        while true {
            let update = try await client.next(type: "update")
            let at = try #require(update["offset"] as? Int)
            if at >= wanted {
                #expect(at == wanted, "the update of offset \(wanted) was skipped")
                return update
            }
        }
    }

    @Test("attempts warn, hold, then shadow-restrict the sender; held messages wait for staff, restricted ones never reach the recipient")
    func escalation() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: Self.steps)
            let market = try await Marketplace.open(on: server)
            let (buyerId, _) = try await Self.ids(market)
            let (vendor, _, _) = try await StreamClient.live(port: server.port, token: market.vendor)

            // 1st attempt: bounced, and the buyer is warned, with the reasons, in the refusal.
            let first = try await market.post(ModerationPipelineTests.phone, as: market.buyer)
            #expect(first.status == 422 && first.errorCode == "message_blocked")
            let warned = try #require(((first["error"] as? [String: Any])?["details"] as? [String: Any])?["standing"] as? [String: Any], "\(first)")
            #expect(warned["standing"] as? String == "warned" && warned["attempts"] as? Int == 1)
            #expect((warned["statementOfReasons"] as? String)?.contains("held for review") == true)
            // 2nd attempt: held from now on.
            let second = try await market.post("my number is 07911 654321", as: market.buyer)
            let held = ((second["error"] as? [String: Any])?["details"] as? [String: Any])?["standing"] as? [String: Any]
            #expect(held?["standing"] as? String == "held", "\(second)")

            // A held message is stored and acked as held; the vendor gets only a version bump.
            let waiting = try await market.post("Is the blue one still available?", as: market.buyer)
            #expect(waiting.status == 201 && waiting["heldForReview"] as? Bool == true, "\(waiting)")
            let heldId = try #require(waiting["messageId"] as? String)
            let bump = try await Self.update(vendor, at: waiting["offset"])
            #expect(bump["kind"] as? String == "hidden" && bump["data"] == nil, "\(bump)")
            #expect(try await Self.unread(market, as: market.vendor) == 0)

            // 3rd attempt: restricted, and the buyer is not told.
            let third = try await market.post("whatsapp me on 07911 111222", as: market.buyer)
            #expect(third.status == 422)
            #expect(((third["error"] as? [String: Any])?["details"] as? [String: Any])?["standing"] == nil, "a shadow restriction is not announced: \(third)")
            let shadow = try await market.post("Hello? Anyone there?", as: market.buyer)
            #expect(shadow.status == 201 && shadow["heldForReview"] == nil && shadow["moderation"] == nil, "acked as any message: \(shadow)")
            let shadowId = try #require(shadow["messageId"] as? String)
            let shadowBump = try await Self.update(vendor, at: shadow["offset"])
            #expect(shadowBump["kind"] as? String == "hidden" && shadowBump["data"] == nil, "\(shadowBump)")
            // The buyer sees the own messages as sent, with no mark of the restriction.
            let mine = try await ModerationPipelineTests.history(market, as: market.buyer)
            let sent = try #require(mine.first { ($0["data"] as? [String: Any])?["messageId"] as? String == shadowId }?["data"] as? [String: Any])
            #expect(sent["withheld"] == nil && sent["text"] as? String == "Hello? Anyone there?")
            #expect(!mine.contains { ($0["data"] as? [String: Any])?["standing"] as? String == "restricted" }, "no standing update tells of it")
            // The vendor's history, inbox and unread know nothing of either message.
            let theirs = try await ModerationPipelineTests.history(market, as: market.vendor)
            #expect(!theirs.contains { [heldId, shadowId].contains(($0["data"] as? [String: Any])?["messageId"] as? String) })
            let inbox = try await market.http.call("GET", "/v1/inbox?after=\(try await BadInputTests.head(market.http))", as: .bearer(market.vendor))
            let row = try #require((inbox["items"] as? [[String: Any]])?.first, "\(inbox)")
            #expect(row["unreadCount"] as? Int == 0 && row["lastMessage"] is NSNull, "\(row)")

            // Staff see where the buyer stands, and why.
            let standing = try await Self.standing(market, of: buyerId)
            #expect(standing.status == 200 && standing["standing"] as? String == "restricted" && standing["attempts"] as? Int == 3, "\(standing)")
            #expect(standing["changedBy"] as? String == "automatic")
            let listed = try await Self.users(market, "standing=restricted", containing: buyerId)
            #expect(listed?["attempts"] as? Int == 3 && listed?["statementOfReasons"] is String, "\(String(describing: listed))")

            // The held message is in the review queue; dismissing it releases it to the vendor.
            let queued = try await ReviewQueueTests.items(market, "reason=holds", count: 4)
            #expect(queued.contains { $0["messageId"] as? String == heldId && $0["rule"] as? String == "held_for_review" }, "\(queued)")
            #expect(!queued.contains { $0["messageId"] as? String == shadowId }, "a shadow-restricted message is not queued on its own")
            let dismissed = try await ReviewQueueTests.decide(market, heldId, #"{"decision":"dismiss","reason":"harmless"}"#)
            #expect(dismissed.status == 201, "\(dismissed)")
            let released = try await Self.update(vendor, at: dismissed["offset"])
            #expect(released["kind"] as? String == "message.added", "\(released)")
            let data = try #require(released["data"] as? [String: Any])
            #expect(data["messageId"] as? String == heldId && data["text"] as? String == "Is the blue one still available?" && data["withheld"] == nil)
            #expect(try await Self.unread(market, as: market.vendor) == 1)

            // Staff restore the buyer: messages flow again, and the buyer is told.
            let restored = try await Self.setStanding(market, of: buyerId, #"{"standing":"good","reason":"Appeal accepted."}"#)
            #expect(restored.status == 201, "\(restored)")
            let back = try await market.post("Thanks, back to the blue one", as: market.buyer)
            #expect(back.status == 201 && back["heldForReview"] == nil, "\(back)")
            let delivered = try await Self.update(vendor, at: back["offset"])
            #expect(delivered["kind"] as? String == "message.added" && (delivered["data"] as? [String: Any])?["messageId"] as? String == back["messageId"] as? String)
            #expect(try await Self.unread(market, as: market.vendor) == 2)
            let after = try await Self.standing(market, of: buyerId)
            #expect(after["standing"] as? String == "good" && after["attempts"] as? Int == 0 && after["changedBy"] as? String == "staff")
            await vendor.close()
            #expect(await server.stop() == 0)
        }
    }

    /// The vendor's response metrics, polled until they count `conversations` in all (the
    /// projector trails the log by milliseconds); the days, or what was there after 5 s.
    static func metrics(_ market: Marketplace, of vendor: String, counting conversations: Int) async throws -> [[String: Any]] {
        var days: [[String: Any]] = []
        for _ in 0..<200 {
            let answer = try await market.http.call("GET", "/v1/staff/vendors/\(vendor)/metrics", as: .bearer(market.staff))
            #expect(answer.status == 200, "\(answer)")
            days = answer["days"] as? [[String: Any]] ?? []
            if days.compactMap({ $0["conversations"] as? Int }).reduce(0, +) >= conversations { return days }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("the metrics of \(vendor) never counted \(conversations) conversations: \(days)")
        return days
    }

    @Test("a shadow-restricted buyer's message moves no unread count, inbox row or response metric of the vendor's; staff see it", .timeLimit(.minutes(2)))
    func shadowMovesNothing() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (buyerId, vendorId) = try await Self.ids(market)
            #expect(try await Self.setStanding(market, of: buyerId, #"{"standing":"restricted","reason":"Scam reports."}"#).status == 201)
            let shadow = try await market.post("Is the bike still available?", as: market.buyer)
            #expect(shadow.status == 201 && shadow["heldForReview"] == nil, "\(shadow)")
            let shadowId = try #require(shadow["messageId"] as? String)
            // Another buyer's question afterwards moves all of them: once it shows, the shadow message would have too.
            let started = try await market.http.call(
                "POST", "/v1/conversations", as: .bearer(market.otherBuyer), body: #"{"vendorId":"\#(vendorId)","subject":{"kind":"general"}}"#)
            let otherId = try #require(started["conversationId"] as? String, "\(started)")
            let question = #"{"clientMessageId":"q-1","text":"Does it come with lights?"}"#
            #expect(try await market.http.call("POST", "/v1/conversations/\(otherId)/messages", as: .bearer(market.otherBuyer), body: question).status == 201)

            let days = try await Self.metrics(market, of: vendorId, counting: 1)
            #expect(days.compactMap { $0["conversations"] as? Int }.reduce(0, +) == 1, "only the other buyer's question counts: \(days)")
            #expect(try await Self.unread(market, as: market.vendor) == 1)
            let inbox = try await market.http.call("GET", "/v1/inbox?after=\(try await BadInputTests.head(market.http))", as: .bearer(market.vendor))
            let rows = try #require(inbox["items"] as? [[String: Any]], "\(inbox)")
            let shadowed = try #require(rows.first { $0["conversationId"] as? String == market.conversationId }, "\(rows)")
            #expect(shadowed["unreadCount"] as? Int == 0 && shadowed["lastMessage"] is NSNull, "\(shadowed)")
            #expect(rows.first { $0["conversationId"] as? String == otherId }?["unreadCount"] as? Int == 1)
            // Staff see it, marked as shadowed.
            let timeline = try await ReviewDecisionTests.timeline(market)
            let stored = timeline.first { $0["type"] as? String == "MessageSent" && ($0["data"] as? [String: Any])?["messageId"] as? String == shadowId }
            let data = try #require(stored?["data"] as? [String: Any], "\(timeline)")
            #expect(data["text"] as? String == "Is the bike still available?" && data["withheld"] as? String == "shadow")
            #expect(await server.stop() == 0)
        }
    }

    @Test("a suspended user can neither send nor start a conversation; a staff restrict decision is not shown to its subject")
    func suspension() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (buyerId, vendorId) = try await Self.ids(market)
            let (buyer, _, _) = try await StreamClient.live(port: server.port, token: market.buyer)
            let spam = try await market.post("BUY FOLLOWERS NOW cheap cheap cheap", as: market.vendor)
            let spamId = try #require(spam["messageId"] as? String)
            #expect(try await market.http.call(
                "POST", "/v1/conversations/\(market.conversationId)/messages/\(spamId)/flags", as: .bearer(market.buyer), body: #"{"reason":"spam"}"#
            ).status == 201)
            _ = try await ReviewQueueTests.items(market, "reason=review", count: 1)
            #expect(try await ReviewQueueTests.decide(market, spamId, #"{"decision":"restrict","reason":"bulk promotion"}"#).status == 201)
            #expect(try await Self.standing(market, of: vendorId)["standing"] as? String == "restricted")
            let vendorSees = try await ModerationPipelineTests.history(market, as: market.vendor)
            #expect(!vendorSees.contains { $0["kind"] as? String == "message.reviewed" }, "the subject of a restriction is not told")

            let suspended = try await Self.setStanding(market, of: buyerId, #"{"standing":"suspended","reason":"Fraudulent chargebacks."}"#)
            #expect(suspended.status == 201, "\(suspended)")
            let head = try await BadInputTests.head(market.http)
            let refused = try await market.post("hello", as: market.buyer)
            #expect(refused.status == 403 && refused.errorCode == "account_suspended", "\(refused)")
            #expect((refused["error"] as? [String: Any])?["message"].map { "\($0)" }?.contains("Fraudulent chargebacks.") == true)
            let start = try await market.http.call(
                "POST", "/v1/conversations", as: .bearer(market.buyer), body: #"{"vendorId":"\#(vendorId)","subject":{"kind":"general"}}"#)
            #expect(start.status == 403 && start.errorCode == "account_suspended", "\(start)")
            #expect(try await BadInputTests.head(market.http) == head, "a refusal appends nothing")
            // Staff list the suspended, a page at a time, most recently changed first.
            #expect(try await Self.setStanding(market, of: vendorId, #"{"standing":"suspended","reason":"Spam."}"#).status == 201)
            _ = try await Self.users(market, "standing=suspended", containing: vendorId)
            let first = try await market.http.call("GET", "/v1/staff/users?standing=suspended&limit=1", as: .bearer(market.staff))
            #expect((first["items"] as? [[String: Any]])?.map { $0["userId"] as? String } == [vendorId], "\(first)")
            let cursor = try #require(first["next"] as? String)
            let second = try await market.http.call("GET", "/v1/staff/users?standing=suspended&limit=1&cursor=\(cursor)", as: .bearer(market.staff))
            #expect((second["items"] as? [[String: Any]])?.map { $0["userId"] as? String } == [buyerId], "\(second)")
            let third = try await market.http.call(
                "GET", "/v1/staff/users?standing=suspended&limit=1&cursor=\(try #require(second["next"] as? String))", as: .bearer(market.staff))
            #expect((third["items"] as? [[String: Any]])?.isEmpty == true && third["next"] is NSNull, "\(third)")
            // The suspended buyer is told, with the reasons, on their own stream.
            var change: [String: Any] = [:]
            while change["kind"] as? String != "user.changed" { change = try await Self.update(buyer) }
            let data = change["data"] as? [String: Any]
            #expect(data?["standing"] as? String == "suspended" && data?["statementOfReasons"] as? String == "Fraudulent chargebacks.", "\(change)")
            await buyer.close()
            #expect(await server.stop() == 0)
        }
    }

    @Test("during an active order a block holds the blocked side's messages for staff instead of refusing them; a block refuses new conversations")
    func blockDuringOrder() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (buyerId, vendorId) = try await Self.ids(market)
            #expect(try await market.http.call("PUT", "/v1/blocks/\(vendorId)", as: .bearer(market.buyer)).status == 200)
            let refused = try await market.post("please reconsider", as: market.vendor)
            #expect(refused.status == 403 && refused.errorCode == "forbidden", "no order: the block cuts the conversation: \(refused)")

            let order = try await market.http.call(
                "POST", "/v1/platform/orders/o-\(UUID().uuidString.prefix(8))/state", as: market.platform,
                body: #"{"buyerId":"\#(buyerId)","vendorId":"\#(vendorId)","state":"placed"}"#)
            #expect(order.status == 200, "\(order)")
            let (buyer, _, _) = try await StreamClient.live(port: server.port, token: market.buyer)
            let routed = try await market.post("Your parcel ships tomorrow", as: market.vendor)
            #expect(routed.status == 201 && routed["heldForReview"] as? Bool == true, "\(routed)")
            let routedId = try #require(routed["messageId"] as? String)
            #expect(try await Self.update(buyer, at: routed["offset"])["kind"] as? String == "hidden", "the blocking buyer gets nothing of it")
            #expect(try await Self.unread(market, as: market.buyer) == 0, "nor an unread count")
            let inbox = try await market.http.call("GET", "/v1/inbox?after=\(try await BadInputTests.head(market.http))", as: .bearer(market.buyer))
            let row = try #require((inbox["items"] as? [[String: Any]])?.first { $0["conversationId"] as? String == market.conversationId }, "\(inbox)")
            #expect(row["unreadCount"] as? Int == 0 && row["lastMessage"] is NSNull, "nor an inbox message: \(row)")
            let queued = try await ReviewQueueTests.items(market, "reason=order%20dispute", count: 1)
            #expect(queued.first?["messageId"] as? String == routedId && queued.first?["rule"] as? String == "held_for_review")
            await buyer.close()

            // A vendor who blocked a buyer is not reached through a new conversation either.
            #expect(try await market.http.call("PUT", "/v1/blocks/\(buyerId)", as: .bearer(market.vendor)).status == 200)
            let head = try await BadInputTests.head(market.http)
            let start = try await market.http.call(
                "POST", "/v1/conversations", as: .bearer(market.buyer), body: #"{"vendorId":"\#(vendorId)","subject":{"kind":"general"}}"#)
            #expect(start.status == 403 && start.errorCode == "forbidden", "\(start)")
            #expect(try await BadInputTests.head(market.http) == head)
            #expect(await server.stop() == 0)
        }
    }

    @Test("bad input to the standing routes: typed errors, nothing written")
    func badInput() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (buyerId, _) = try await Self.ids(market)
            let head = try await BadInputTests.head(market.http)
            let cases: [(String, String?, Int, String)] = [
                (#"{"standing":"banished","reason":"x"}"#, nil, 400, "invalid_request"),
                (#"{"standing":"warned"}"#, nil, 400, "invalid_request"),
                (#"{"standing":"warned","reason":" "}"#, nil, 400, "invalid_request"),
                (#"{"standing":"warned","reason":"x",}"#, nil, 400, "malformed_json"),
                (#"{"standing":"good","reason":"x"}"#, nil, 409, "standing_unchanged"),
                (#"{"standing":"warned","reason":"x"}"#, market.buyer, 403, "forbidden"),
                (#"{"standing":"warned","reason":"x"}"#, market.vendor, 403, "forbidden"),
            ]
            for (body, caller, status, code) in cases {
                let answer = try await Self.setStanding(market, of: buyerId, body, as: caller)
                #expect(answer.status == status && answer.errorCode == code, "\(body): \(answer)")
            }
            let oversized = try await Self.setStanding(market, of: buyerId, #"{"standing":"warned","reason":"\#(String(repeating: "r", count: 5_000))"}"#)
            #expect(oversized.status == 413, "\(oversized)")
            let read = try await market.http.call("GET", "/v1/staff/users/\(buyerId)/standing", as: .bearer(market.vendor))
            #expect(read.status == 403 && read.errorCode == "forbidden")
            // A user id no user could have (over 200 bytes): 400 on both routes, before anything is read.
            let badId = String(repeating: "u", count: 201)
            let readBad = try await Self.standing(market, of: badId)
            #expect(readBad.status == 400 && readBad.errorCode == "invalid_request", "\(readBad)")
            let setBad = try await Self.setStanding(market, of: badId, #"{"standing":"warned","reason":"x"}"#)
            #expect(setBad.status == 400 && setBad.errorCode == "invalid_request", "\(setBad)")
            let listings: [(String, String?, Int, String)] = [
                ("", nil, 400, "invalid_request"), ("standing=banished", nil, 400, "invalid_request"),
                ("standing=held&limit=0", nil, 400, "invalid_request"), ("standing=held&cursor=%%%", nil, 400, "invalid_request"),
                ("standing=held&cursor=bm90IGEgY3Vyc29y", nil, 400, "invalid_request"), ("standing=held", market.buyer, 403, "forbidden"),
            ]
            for (query, caller, status, code) in listings {
                let answer = try await market.http.call("GET", "/v1/staff/users?\(query)", as: .bearer(caller ?? market.staff))
                #expect(answer.status == status && answer.errorCode == code, "\(query): \(answer)")
            }
            #expect(try await BadInputTests.head(market.http) == head)
            #expect(await server.stop() == 0)
        }
    }
}
