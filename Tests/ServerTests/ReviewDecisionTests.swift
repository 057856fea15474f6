import Foundation
import ParleyTestSupport
import Testing

/// Review-queue decisions end to end: what each appends, what the item, the sender and the
/// dispute timeline show afterwards.
@Suite("review decisions")
struct ReviewDecisionTests {
    /// Posts a message as the buyer and has the vendor report it; its id once the queue holds it.
    static func reported(_ market: Marketplace, _ text: String) async throws -> String {
        let sent = try await market.post(text, as: market.buyer)
        let id = try #require(sent["messageId"] as? String, "\(sent)")
        let flag = try await market.http.call(
            "POST", "/v1/conversations/\(market.conversationId)/messages/\(id)/flags", as: .bearer(market.vendor), body: #"{"reason":"harassment"}"#)
        #expect(flag.status == 201, "\(flag)")
        #expect(try await ReviewQueueTests.items(market, "reason=review", count: 1).first?["messageId"] as? String == id)
        return id
    }

    /// The conversation's timeline as staff read it.
    static func timeline(_ market: Marketplace) async throws -> [[String: Any]] {
        let answer = try await market.http.call(
            "GET", "/v1/staff/conversations/\(market.conversationId)/timeline?reason=audit", as: .bearer(market.staff))
        return try #require(answer["items"] as? [[String: Any]], "\(answer)")
    }

    /// Whether `user`'s history shows the message as redacted: marked so, with no text.
    static func isRedacted(_ id: String, _ market: Marketplace, for user: String) async throws -> Bool {
        let history = try await ModerationPipelineTests.history(market, as: user)
        let item = try #require(history.first { $0["kind"] as? String == "message.added" && ($0["data"] as? [String: Any])?["messageId"] as? String == id })
        return item["redacted"] as? Bool == true && (item["data"] as? [String: Any])?["text"] as? String == ""
    }

    @Test("redact from the queue: the redaction is in the same append, the item is redacted, staff keep the original, the sender is told live", .timeLimit(.minutes(2)))
    func redact() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (buyer, _, _) = try await StreamClient.live(port: server.port, token: market.buyer)
            let id = try await Self.reported(market, "You are useless and so is your bike")

            let decided = try await ReviewQueueTests.decide(market, id, #"{"decision":"redact","reason":"Insults are not allowed."}"#)
            #expect(decided.status == 201, "\(decided)")
            let offset = try #require(decided["offset"] as? Int)
            // The sender is told on their stream, with the statement of reasons.
            var update: [String: Any] = [:]
            while update["kind"] as? String != "message.reviewed" { update = try await StandingTests.update(buyer) }
            let review = try #require(update["data"] as? [String: Any])
            #expect(review["decision"] as? String == "redact" && review["statementOfReasons"] as? String == "Insults are not allowed.")
            #expect(update["offset"] as? Int == offset)

            // One append: the decision and the redaction side by side, recorded together.
            let items = try await Self.timeline(market)
            let reviewed = try #require(items.first { $0["type"] as? String == "FlagReviewed" })
            let redaction = try #require(items.first { $0["type"] as? String == "MessageRedacted" })
            #expect(reviewed["offset"] as? Int == offset && redaction["offset"] as? Int == offset + 1)
            #expect(reviewed["at"] as? String == redaction["at"] as? String)
            #expect((redaction["data"] as? [String: Any])?["messageId"] as? String == id)
            // Staff still read the original; the participants do not.
            let original = items.first { $0["type"] as? String == "MessageSent" && ($0["data"] as? [String: Any])?["messageId"] as? String == id }
            #expect((original?["data"] as? [String: Any])?["text"] as? String == "You are useless and so is your bike")
            #expect(try await Self.isRedacted(id, market, for: market.vendor))
            let item = try await ReviewQueueTests.items(market, "reason=check&status=redacted", count: 1).first
            #expect(item?["messageId"] as? String == id && item?["decisionReason"] as? String == "Insults are not allowed.")
            await buyer.close()
            #expect(await server.stop() == 0)
        }
    }

    @Test("suspend from the queue refuses the sender's next send; restore lets them send again and undoes no redaction", .timeLimit(.minutes(2)))
    func suspendThenRestore() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let (buyerId, _) = try await StandingTests.ids(market)
            let id = try await Self.reported(market, "Answer me now or else")
            #expect(try await ReviewQueueTests.decide(market, id, #"{"decision":"redact","reason":"Threats."}"#).status == 201)

            let suspended = try await ReviewQueueTests.decide(market, id, #"{"decision":"suspend","reason":"Repeated threats."}"#)
            #expect(suspended.status == 201, "\(suspended)")
            let head = try await BadInputTests.head(market.http)
            let refused = try await market.post("hello?", as: market.buyer)
            #expect(refused.status == 403 && refused.errorCode == "account_suspended", "\(refused)")
            #expect(((refused["error"] as? [String: Any])?["message"] as? String)?.contains("Repeated threats.") == true, "\(refused)")
            #expect(try await BadInputTests.head(market.http) == head, "a refusal appends nothing")

            let restored = try await ReviewQueueTests.decide(market, id, #"{"decision":"restore","reason":"Appeal accepted."}"#)
            #expect(restored.status == 201, "\(restored)")
            let standing = try await StandingTests.standing(market, of: buyerId)
            #expect(standing["standing"] as? String == "good" && standing["changedBy"] as? String == "staff", "\(standing)")
            #expect(standing["statementOfReasons"] as? String == "Appeal accepted.")
            #expect(try await market.post("Sorry, when can I collect?", as: market.buyer).status == 201)
            // A second restore finds the sender in good standing: the decision alone is recorded.
            let beforeSecond = try await BadInputTests.head(market.http)
            let again = try await ReviewQueueTests.decide(market, id, #"{"decision":"restore","reason":"Checked again."}"#)
            #expect(again.status == 201 && again["offset"] as? Int == beforeSecond + 1, "\(again)")
            #expect(try await BadInputTests.head(market.http) == beforeSecond + 1, "one event: no second StandingChanged")
            #expect(try await StandingTests.standing(market, of: buyerId)["statementOfReasons"] as? String == "Appeal accepted.")

            let items = try await Self.timeline(market)
            let decisions = items.filter { $0["type"] as? String == "FlagReviewed" }.compactMap { ($0["data"] as? [String: Any])?["decision"] as? String }
            #expect(decisions == ["redact", "suspend", "restore", "restore"])
            // Nothing of the redaction is undone: the participants see it redacted, staff read the original.
            #expect(try await Self.isRedacted(id, market, for: market.vendor))
            let original = items.first { $0["type"] as? String == "MessageSent" && ($0["data"] as? [String: Any])?["messageId"] as? String == id }
            #expect((original?["data"] as? [String: Any])?["text"] as? String == "Answer me now or else")
            // The sender reads the restore; the item says what was decided last.
            let mine = try await ModerationPipelineTests.history(market, as: market.buyer)
            #expect(mine.filter { $0["kind"] as? String == "message.reviewed" }.compactMap { ($0["data"] as? [String: Any])?["decision"] as? String }
                == ["redact", "suspend", "restore", "restore"])
            let item = try await ReviewQueueTests.items(market, "reason=check&status=restored", count: 1).first
            #expect(item?["messageId"] as? String == id && item?["decisionReason"] as? String == "Checked again.")
            #expect(await server.stop() == 0)
        }
    }
}
