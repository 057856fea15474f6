import Foundation
import ParleyTestSupport
import Testing

@Suite("staff search finds conversations by their parties, subject and ids")
struct StaffSearchTests {
    @Test("by a participant's name (either side, any case, a part of it), the listing title, an id; not by what it does not hold", .timeLimit(.minutes(2)))
    func conversations() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let other = try await Marketplace.open(on: server)
            // Staff search reads the stored inbox: wait until it holds both conversations.
            let started = try await other.post("hello", as: other.buyer)
            let offset = try #require(started["offset"] as? Int)
            let inbox = try await market.http.call("GET", "/v1/inbox?after=\(offset)", as: .bearer(market.buyer))
            #expect(inbox.status == 200, "\(inbox)")
            func found(_ query: String) async throws -> Set<String> {
                let encoded = try #require(query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed))
                let answer = try await market.http.call("GET", "/v1/staff/search?q=\(encoded)&reason=audit", as: .bearer(market.staff))
                #expect(answer.status == 200, "\(query): \(answer)")
                return Set((answer["conversations"] as? [[String: Any]] ?? []).compactMap { $0["conversationId"] as? String })
            }
            let both: Set = [market.conversationId, other.conversationId]
            #expect(try await found("bea buy") == both)
            #expect(try await found("VENDOR") == both)
            #expect(try await found("blue bik") == both)
            #expect(try await found(market.conversationId) == [market.conversationId])
            #expect(try await found("nobody by this name") == [])
        }
    }
}
