import Foundation
import ParleyTestSupport
import Testing

/// The staff review queue end to end: detections and flags grouped per message, reads that
/// need a reason and are logged, decisions as events the sender is told of.
@Suite("review queue")
struct ReviewQueueTests {
    static func queue(_ market: Marketplace, _ query: String, as caller: String? = nil) async throws -> Answer {
        try await market.http.call("GET", "/v1/staff/review-queue?\(query)", as: .bearer(caller ?? market.staff))
    }

    /// Polls the queue until `count` items match `query` (the projector trails the log by milliseconds).
    static func items(_ market: Marketplace, _ query: String, count: Int) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        for _ in 0..<200 {
            let answer = try await Self.queue(market, query)
            #expect(answer.status == 200, "\(answer)")
            items = answer["items"] as? [[String: Any]] ?? []
            if items.count == count { return items }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("the queue held \(items.count) items for \(query), not \(count)")
        return items
    }

    static func decide(_ market: Marketplace, _ message: String, _ body: String, as caller: String? = nil) async throws -> Answer {
        try await market.http.call(
            "POST", "/v1/staff/review-queue/\(market.conversationId)/\(message)/decision", as: .bearer(caller ?? market.staff), body: body)
    }

    @Test("a bounced message and a reported one are queued with rule, score, reporters and snippet; staff decide; the sender is told")
    func queueAndDecide() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let history = try await market.http.call("GET", "/v1/conversations/\(market.conversationId)/messages", as: .bearer(market.buyer))
            let buyerId = try #require(((history["items"] as? [[String: Any]])?.first?["data"] as? [String: Any])?["buyerId"] as? String)
            #expect(try await market.post(ModerationPipelineTests.phone, as: market.buyer).status == 422)
            let spam = try await market.post("BUY FOLLOWERS NOW cheap cheap cheap", as: market.buyer)
            let spamId = try #require(spam["messageId"] as? String)
            let flag = try await market.http.call(
                "POST", "/v1/conversations/\(market.conversationId)/messages/\(spamId)/flags", as: .bearer(market.vendor), body: #"{"reason":"spam"}"#)
            #expect(flag.status == 201, "\(flag)")

            let unexplained = try await Self.queue(market, "")
            #expect(unexplained.status == 400 && unexplained.errorCode == "invalid_request")
            let items = try await Self.items(market, "reason=daily%20review", count: 2)
            let reported = try #require(items.first)
            #expect(reported["messageId"] as? String == spamId)
            #expect(reported["reporters"] as? Int == 1 && reported["reasons"] as? [String] == ["spam"])
            #expect(reported["snippet"] as? String == "BUY FOLLOWERS NOW cheap cheap cheap")
            #expect(reported["senderId"] as? String == buyerId && reported["status"] as? String == "open")
            let bounced = items[1]
            #expect(bounced["moderationAction"] as? String == "bounce")
            #expect(bounced["classes"] as? [String] == ["phone_number"] && bounced["rule"] as? String == "phone.national")
            #expect((bounced["score"] as? Double ?? 0) > 0.7)
            #expect(bounced["snippet"] as? String == ModerationPipelineTests.phone)
            let bouncedId = try #require(bounced["messageId"] as? String)

            // Paging: one item a page, in the same order, then the end.
            let first = try await Self.queue(market, "reason=paging&limit=1")
            let cursor = try #require(first["next"] as? String)
            let second = try await Self.queue(market, "reason=paging&limit=1&cursor=\(cursor)")
            #expect((second["items"] as? [[String: Any]])?.map { $0["messageId"] as? String } == [bouncedId])
            let third = try await Self.queue(market, "reason=paging&limit=1&cursor=\(try #require(second["next"] as? String))")
            #expect((third["items"] as? [[String: Any]])?.isEmpty == true && third["next"] is NSNull)

            // Decisions: warn the reported message's sender; a bounced message cannot be redacted, only dismissed.
            let warned = try await Self.decide(market, spamId, #"{"decision":"warn","reason":"Bulk promotion is not allowed here."}"#)
            #expect(warned.status == 201, "\(warned)")
            let notStored = try await Self.decide(market, bouncedId, #"{"decision":"redact","reason":"contact details"}"#)
            #expect(notStored.status == 409 && notStored.errorCode == "not_stored")
            #expect(try await Self.decide(market, bouncedId, #"{"decision":"dismiss","reason":"ok"}"#).status == 201)
            _ = try await Self.items(market, "reason=check", count: 0)
            #expect(try await Self.items(market, "reason=check&status=warned&source=user", count: 1).first?["decidedBy"] as? String != nil)
            #expect(try await Self.items(market, "reason=check&status=dismissed&class=phone_number", count: 1).first?["messageId"] as? String == bouncedId)

            // The sender reads the warning with its reasons; the counterpart sees nothing of it.
            let mine = try await ModerationPipelineTests.history(market, as: market.buyer)
            let review = try #require(mine.first { $0["kind"] as? String == "message.reviewed" }?["data"] as? [String: Any])
            #expect(review["decision"] as? String == "warn" && review["statementOfReasons"] as? String == "Bulk promotion is not allowed here.")
            #expect(mine.filter { $0["kind"] as? String == "message.reviewed" }.count == 1, "a dismissal is not shown")
            let theirs = try await ModerationPipelineTests.history(market, as: market.vendor)
            #expect(!theirs.contains { $0["kind"] as? String == "message.reviewed" })

            // Every listing that returned text recorded a staff view with its reason.
            let timeline = try await market.http.call(
                "GET", "/v1/staff/conversations/\(market.conversationId)/timeline?reason=audit", as: .bearer(market.staff))
            let reasons = (timeline["items"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "StaffViewedConversation" }
                .compactMap { ($0["data"] as? [String: Any])?["reason"] as? String }
            #expect(reasons.contains("daily review (review queue)") && reasons.contains("paging (review queue)"))
            let staffId = try #require(
                ((timeline["items"] as? [[String: Any]])?.first { $0["type"] as? String == "StaffViewedConversation" }?["data"] as? [String: Any])?["staffId"]
                    as? String)
            let actors = Set((timeline["items"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "StaffViewedConversation" }
                .compactMap { $0["actor"] as? String })
            #expect(actors == ["user:\(staffId)"], "staff views are recorded as user:<id>, as parley-replay records them")
            #expect((timeline["items"] as? [[String: Any]] ?? []).contains { $0["type"] as? String == "FlagReviewed" })
            #expect(await server.stop() == 0)
        }
    }

    @Test("bad input and the wrong callers: typed errors, nothing written")
    func badInput() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let head = try await BadInputTests.head(market.http)
            let listings: [(String, String?, Int, String)] = [
                ("reason=x&status=maybe", nil, 400, "invalid_request"),
                ("reason=x&class=fax_number", nil, 400, "invalid_request"),
                ("reason=x&source=robots", nil, 400, "invalid_request"),
                ("reason=x&limit=0", nil, 400, "invalid_request"),
                ("reason=x&cursor=%%%", nil, 400, "invalid_request"),
                ("reason=\(String(repeating: "r", count: 281))", nil, 413, "payload_too_large"),
                ("reason=x", market.vendor, 403, "forbidden"),
            ]
            for (query, caller, status, code) in listings {
                let answer = try await Self.queue(market, query, as: caller)
                #expect(answer.status == status && answer.errorCode == code, "\(query): \(answer)")
            }
            let decisions: [(String, String?, Int, String)] = [
                (#"{"decision":"explode","reason":"x"}"#, nil, 400, "invalid_request"),
                (#"{"decision":"warn"}"#, nil, 400, "invalid_request"),
                (#"{"decision":"warn","reason":""}"#, nil, 400, "invalid_request"),
                (#"{"decision":"warn","reason":" "}"#, nil, 400, "invalid_request"),
                (#"{"decision":"warn","reason":"\#(String(repeating: "r", count: 501))"}"#, nil, 413, "payload_too_large"),
                (#"{"decision":"warn","reason":"x",}"#, nil, 400, "malformed_json"),
                (#"{"decision":"warn","reason":"x"}"#, market.buyer, 403, "forbidden"),
                (#"{"decision":"warn","reason":"x"}"#, nil, 404, "review_item_not_found"),
            ]
            for (body, caller, status, code) in decisions {
                let answer = try await Self.decide(market, "m_nothing", body, as: caller)
                #expect(answer.status == status && answer.errorCode == code, "\(body): \(answer)")
            }
            // Ids in the path that no message or conversation could have: 400 before anything is read.
            let longId = String(repeating: "x", count: 201)
            for path in ["\(market.conversationId)/\(longId)", "\(longId)/m_nothing"] {
                let answer = try await market.http.call(
                    "POST", "/v1/staff/review-queue/\(path)/decision", as: .bearer(market.staff), body: #"{"decision":"warn","reason":"x"}"#)
                #expect(answer.status == 400 && answer.errorCode == "invalid_request", "\(path): \(answer)")
            }
            #expect(try await BadInputTests.head(market.http) == head)
            #expect(await server.stop() == 0)
        }
    }
}
