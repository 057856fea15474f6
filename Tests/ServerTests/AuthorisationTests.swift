import Foundation
import HummingbirdWSClient
import JWTKit
import ParleyTestSupport
import Testing

@Suite("who may call what: every route and the stream against every kind of caller")
struct AuthorisationTests {
    /// The callers of the matrix, in column order.
    enum Who: String, CaseIterable {
        case buyer, vendor, otherBuyer, otherVendor, staff, platform, forged, expired, wrongAlgorithm, unsigned, anonymous
    }

    struct Route {
        let method: String
        let path: String
        let body: String?
        /// The status each caller gets; the bad tokens and no token always get 401.
        let expected: [Who: Set<Int>]
    }

    @Test("the authorisation matrix: participants, strangers, staff, the platform key, and forged, expired, wrong-algorithm and missing tokens")
    func matrix() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let message = try #require(try await market.post("hello", as: market.buyer)["messageId"] as? String)
            let callers: [Who: Caller] = [
                .buyer: .bearer(market.buyer), .vendor: .bearer(market.vendor), .otherBuyer: .bearer(market.otherBuyer),
                .otherVendor: .bearer(market.otherVendor), .staff: .bearer(market.staff), .platform: market.platform,
                .forged: .bearer(try await Tokens.forged("buyer-x", "buyer")), .expired: .bearer(try await Tokens.expired("buyer-x", "buyer")),
                .wrongAlgorithm: .bearer(try await Tokens.wrongAlgorithm("buyer-x", "buyer")),
                .unsigned: .bearer(Tokens.unsigned("buyer-x", "buyer")), .anonymous: .none,
            ]
            let c = market.conversationId
            let participants: (Int) -> [Who: Set<Int>] = { ok in
                [.buyer: [ok], .vendor: [ok], .otherBuyer: [404], .otherVendor: [404], .staff: [403], .platform: [403]]
            }
            let users: [Who: Set<Int>] = [.buyer: [200], .vendor: [200], .otherBuyer: [200], .otherVendor: [200], .staff: [200], .platform: [403]]
            let staffOnly: (Int) -> [Who: Set<Int>] = { ok in
                [.buyer: [403], .vendor: [403], .otherBuyer: [403], .otherVendor: [403], .staff: [ok], .platform: [403]]
            }
            let platformOnly: [Who: Set<Int>] = [.buyer: [403], .vendor: [403], .otherBuyer: [403], .otherVendor: [403], .staff: [403], .platform: [200]]
            let vendors: [Who: Set<Int>] = [.buyer: [403], .vendor: [200], .otherBuyer: [403], .otherVendor: [200], .staff: [403], .platform: [403]]
            let routes = [
                Route(
                    method: "POST", path: "/v1/conversations", body: #"{"vendorId":"someone","subject":{"kind":"general"}}"#,
                    expected: [.buyer: [200, 201], .vendor: [403], .otherBuyer: [200, 201], .otherVendor: [403], .staff: [403], .platform: [403]]),
                Route(method: "POST", path: "/v1/conversations/\(c)/messages", body: #"{"clientMessageId":"m-1","text":"hi"}"#, expected: participants(201)),
                Route(method: "GET", path: "/v1/conversations/\(c)/messages", body: nil, expected: participants(200)),
                Route(method: "POST", path: "/v1/conversations/\(c)/delivered", body: #"{"upToMessageId":"\#(message)"}"#, expected: participants(200)),
                Route(method: "POST", path: "/v1/conversations/\(c)/read", body: #"{"upToMessageId":"\#(message)"}"#, expected: participants(200)),
                Route(method: "POST", path: "/v1/conversations/\(c)/messages/\(message)/flags", body: #"{"reason":"spam"}"#, expected: participants(201)),
                Route(method: "GET", path: "/v1/inbox", body: nil, expected: users),
                Route(method: "GET", path: "/v1/unread", body: nil, expected: users),
                Route(method: "GET", path: "/v1/updates?wait=0", body: nil, expected: users),
                Route(method: "GET", path: "/v1/blocks", body: nil, expected: users),
                Route(method: "PUT", path: "/v1/blocks/someone-else", body: nil, expected: users),
                Route(method: "DELETE", path: "/v1/blocks/someone-else", body: nil, expected: users),
                Route(method: "GET", path: "/v1/preferences", body: nil, expected: users),
                Route(method: "PUT", path: "/v1/preferences", body: #"{"channel":"sms","category":"marketing","enabled":false}"#, expected: users),
                Route(method: "PUT", path: "/v1/preferences/quiet-hours", body: #"{"timeZone":"Europe/Berlin","windows":[]}"#, expected: users),
                Route(method: "GET", path: "/v1/templates", body: nil, expected: vendors),
                Route(method: "PUT", path: "/v1/templates/t-1", body: #"{"name":"Thanks","text":"Thank you!"}"#, expected: vendors),
                Route(method: "DELETE", path: "/v1/templates/t-1", body: nil, expected: vendors),
                Route(method: "GET", path: "/v1/staff/search?q=bike&reason=audit", body: nil, expected: staffOnly(200)),
                Route(method: "GET", path: "/v1/staff/orders/o-unknown/timeline?reason=dispute", body: nil, expected: staffOnly(404)),
                Route(method: "GET", path: "/v1/staff/conversations/\(c)/timeline?reason=dispute%2042", body: nil, expected: staffOnly(200)),
                Route(method: "GET", path: "/v1/staff/conversations/\(c)/views", body: nil, expected: staffOnly(200)),
                Route(method: "GET", path: "/v1/staff/vendors/someone/metrics", body: nil, expected: staffOnly(200)),
                Route(method: "GET", path: "/v1/staff/review-queue?reason=audit", body: nil, expected: staffOnly(200)),
                Route(
                    method: "POST", path: "/v1/staff/review-queue/\(c)/m-never-flagged/decision", body: #"{"decision":"warn","reason":"r"}"#,
                    expected: staffOnly(404)),
                Route(method: "GET", path: "/v1/staff/users?standing=held", body: nil, expected: staffOnly(200)),
                Route(method: "GET", path: "/v1/staff/users/someone/standing", body: nil, expected: staffOnly(200)),
                Route(method: "POST", path: "/v1/staff/users/someone/standing", body: #"{"standing":"warned","reason":"r"}"#, expected: staffOnly(201)),
                Route(method: "POST", path: "/v1/staff/conversations/\(c)/messages/\(message)/redact", body: #"{"reason":"phone number"}"#, expected: staffOnly(201)),
                Route(method: "PUT", path: "/v1/platform/listings/L-new", body: #"{"vendorId":"v","title":"Lamp","priceCents":100}"#, expected: platformOnly),
                Route(method: "PUT", path: "/v1/platform/users/u-new", body: #"{"displayName":"U","role":"buyer"}"#, expected: platformOnly),
                Route(method: "POST", path: "/v1/platform/orders/o-new/state", body: #"{"buyerId":"b","vendorId":"v","state":"placed"}"#, expected: platformOnly),
            ]
            var mismatches: [String] = []
            for route in routes {
                for who in Who.allCases {
                    let answer = try await market.http.call(route.method, route.path, as: callers[who]!, body: route.body)
                    let expected = route.expected[who] ?? [401]
                    if !expected.contains(answer.status) { mismatches.append("\(route.method) \(route.path) as \(who): \(answer)") }
                    if answer.status >= 400 && answer.errorCode == nil { mismatches.append("\(route.method) \(route.path) as \(who): no error code: \(answer)") }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")

            // The stream: users connect; the platform key and bad tokens are refused at the upgrade.
            for who in Who.allCases {
                guard case .bearer(let token) = callers[who]! else {
                    continue
                }
                if [Who.buyer, .vendor, .otherBuyer, .otherVendor, .staff].contains(who) {
                    let client = try await StreamClient.connect(port: server.port, token: token)
                    await client.close()
                } else {
                    await #expect(throws: WebSocketClientError.self, "stream as \(who)") { _ = try await StreamClient.connect(port: server.port, token: token) }
                    // The refusal itself: 401 with the error body, not a 5xx or a dropped connection.
                    let refused = try await market.http.call("GET", "/v1/stream", as: .bearer(token))
                    #expect(refused.status == 401 && refused.errorCode != nil, "stream as \(who): \(refused)")
                }
            }
            let platformStream = try await market.http.call("GET", "/v1/stream", as: market.platform)
            #expect(platformStream.status == 403)
        }
    }

    @Test("a stream connection closes with 4401 when its token expires")
    func tokenExpiry() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let (client, _, _) = try await StreamClient.live(port: server.port, token: try await Tokens.user("short-lived", "buyer", expiresIn: 30))
            // Usable until then.
            try await client.send(#"{"type":"ping","id":"before"}"#)
            #expect(try await client.next(type: "pong")["ref"] as? String == "before")
            #expect(try await client.closeCode(timeout: .seconds(60)) == 4401)
        }
    }

    @Test("a token whose nbf lies in the future is refused beyond the clock-skew allowance, over HTTP and the stream")
    func notBefore() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let early = try await Tokens.notBefore("buyer-nbf", "buyer", in: 3_600)
            let refused = try await server.http.call("GET", "/v1/unread", as: .bearer(early))
            #expect(refused.status == 401 && refused.errorCode == "token_not_yet_valid", "\(refused)")
            await #expect(throws: (any Error).self) { _ = try await StreamClient.live(port: server.port, token: early) }
            for seconds in [30.0, -3_600] {
                let fine = try await server.http.call("GET", "/v1/unread", as: .bearer(try await Tokens.notBefore("buyer-nbf", "buyer", in: seconds)))
                #expect(fine.status == 200, "nbf \(seconds) s from now: \(fine)")
            }
        }
    }

    @Test("a staff read of a conversation needs a reason and is itself logged; participants do not see it")
    func staffReadsAreLogged() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            try await market.post("the parcel is box number 555 on the shelf", as: market.buyer)
            let path = "/v1/staff/conversations/\(market.conversationId)/timeline"
            let noReason = try await market.http.call("GET", path, as: .bearer(market.staff))
            #expect(noReason.status == 400)
            let timeline = try await market.http.call("GET", path + "?reason=dispute%20D-42", as: .bearer(market.staff))
            #expect(timeline.status == 200)
            let items = timeline["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["type"] as? String } == ["ConversationStarted", "MessageSent", "StaffViewedConversation"])
            let view = items.last?["data"] as? [String: Any]
            #expect(view?["reason"] as? String == "dispute D-42")
            #expect((items.last?["actor"] as? String)?.hasPrefix("user:staff-") == true)
            // A second read is a second record.
            let again = try await market.http.call("GET", path + "?reason=follow-up", as: .bearer(market.staff))
            #expect((again["items"] as? [[String: Any]])?.filter { $0["type"] as? String == "StaffViewedConversation" }.count == 2)
            // Staff search returns message text, so it needs a reason too, and records a view of each
            // conversation whose messages it returned (once the projector has written the message).
            let unexplained = try await market.http.call("GET", "/v1/staff/search?q=number%20555", as: .bearer(market.staff))
            #expect(unexplained.status == 400 && unexplained.errorCode == "invalid_request")
            var found: [[String: Any]] = []
            for _ in 0..<100 where found.isEmpty {
                let search = try await market.http.call("GET", "/v1/staff/search?q=number%20555&reason=fraud%20check", as: .bearer(market.staff))
                #expect(search.status == 200)
                found = search["messages"] as? [[String: Any]] ?? []
                if found.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(found.map { $0["text"] as? String } == ["the parcel is box number 555 on the shelf"])
            #expect(found.first?["conversationId"] as? String == market.conversationId)
            let audited = try await market.http.call("GET", path + "?reason=audit", as: .bearer(market.staff))
            let views = (audited["items"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "StaffViewedConversation" }
            #expect(views.compactMap { ($0["data"] as? [String: Any])?["reason"] as? String }
                == ["dispute D-42", "follow-up", "fraud check (search: number 555)", "audit"])
            // Participants' history leaves staff views out.
            let history = try await market.http.call("GET", "/v1/conversations/\(market.conversationId)/messages", as: .bearer(market.buyer))
            #expect((history["items"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["conversation.started", "message.added"])
        }
    }
}

@Suite("tokens signed with a configured public key")
struct PublicKeyTokenTests {
    /// Starts a server that trusts `publicKeyPEM` only, and checks a token signed by `keys`
    /// passes while an HS256 token does not.
    func check(publicKeyPEM: String, keys: JWTKeyCollection, algorithm: String) async throws {
        try await TestDatabase.with { url in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString).pem")
            try publicKeyPEM.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let server = try await ServerProcess(url: url, keys: ["--jwt-public-key-file", file.path])
            let token = try await keys.sign(Tokens.claims("buyer-pk", "buyer"))
            let inbox = try await server.http.call("GET", "/v1/inbox", as: .bearer(token))
            #expect(inbox.status == 200, "\(algorithm): \(inbox)")
            let hmac = try await server.http.call("GET", "/v1/inbox", as: .bearer(try await Tokens.user("buyer-pk", "buyer")))
            #expect(hmac.status == 401 && hmac.errorCode == "token_algorithm", "\(hmac)")
            let forgedKey = try await JWTKeyCollection().add(ecdsa: ES256PrivateKey()).sign(Tokens.claims("buyer-pk", "buyer"))
            let forged = try await server.http.call("GET", "/v1/inbox", as: .bearer(forgedKey))
            #expect(forged.status == 401, "\(forged)")
            let stream = try await StreamClient.live(port: server.port, token: token)
            await stream.client.close()
        }
    }

    @Test("ES256: a token signed with the matching private key is accepted; HS256 and other keys are refused")
    func es256() async throws {
        let key = ES256PrivateKey()
        try await self.check(publicKeyPEM: key.publicKey.pemRepresentation, keys: await JWTKeyCollection().add(ecdsa: key), algorithm: "ES256")
    }

    @Test("EdDSA (Ed25519): a token signed with the matching private key is accepted; HS256 and other keys are refused")
    func eddsa() async throws {
        let key = try EdDSA.PrivateKey()
        try await self.check(publicKeyPEM: key.publicKey.pemRepresentation, keys: await JWTKeyCollection().add(eddsa: key), algorithm: "EdDSA")
    }
}
