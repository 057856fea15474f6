import Foundation
import ParleyTestSupport
import Testing

@Suite("bad input gets a clear, typed error, changes nothing, and the server keeps serving")
struct BadInputTests {
    /// The log's head, from `/ready`.
    static func head(_ http: HTTP) async throws -> Int {
        try #require(try await http.call("GET", "/ready")["head"] as? Int)
    }

    @Test("malformed, mistyped, incomplete and oversized HTTP requests: 400/413 with a code, nothing written")
    func http() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let path = "/v1/conversations/\(market.conversationId)/messages"
            let before = try await Self.head(market.http)
            let cases: [(body: String, status: Int, code: String, mentions: String?)] = [
                ("{not json", 400, "malformed_json", nil),
                (#"{"clientMessageId":"a","text":"hi",}"#, 400, "malformed_json", "trailing"),
                ("\u{FEFF}" + #"{"clientMessageId":"a","text":"hi"}"#, 400, "malformed_json", nil),
                (#"{"clientMessageId":"a","text":"hi","text":"bye"}"#, 400, "malformed_json", "duplicate key"),
                (#"{"clientMessageId":"a","text":"hi","attachment":{"name":"a.pdf","bytes":01}}"#, 400, "malformed_json", nil),
                (#"{"clientMessageId":"a","text":"hi","attachment":{"name":"a.pdf","contentType":"application/pdf","bytes":1180591620717411303424}}"#,
                 400, "invalid_request", nil),
                (#"{"clientMessageId":"a","text":5}"#, 400, "invalid_request", "text"),
                (#"{"text":"hi"}"#, 400, "invalid_request", "clientMessageId"),
                (#"{"clientMessageId":"a","text":null}"#, 400, "invalid_request", "text"),
                (#"{"clientMessageId":"has space","text":"hi"}"#, 400, "invalid_request", "clientMessageId"),
                (#"{"clientMessageId":"a","text":""}"#, 400, "invalid_request", "text"),
                // Valid JSON that no PostgreSQL text can hold: it would stop every projection storing it.
                (#"{"clientMessageId":"a","text":"a\u0000b"}"#, 400, "invalid_request", "text"),
                (#"{"clientMessageId":"a","text":"hi","attachment":{"name":"a\u0000.pdf","bytes":1}}"#, 400, "invalid_request", "attachment.name"),
                (#"{"clientMessageId":"a","text":"\#(String(repeating: "x", count: 4_001))"}"#, 413, "payload_too_large", "text"),
                (#"{"clientMessageId":"a","text":"\#(String(repeating: "x", count: 70_000))"}"#, 413, "payload_too_large", nil),
            ]
            for item in cases {
                let answer = try await market.http.call("POST", path, as: .bearer(market.buyer), body: item.body)
                #expect(answer.status == item.status, "\(item.body.prefix(60)): \(answer)")
                #expect(answer.errorCode == item.code, "\(item.body.prefix(60)): \(answer)")
                if let field = item.mentions {
                    let message = (answer["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(field), "\(message)")
                }
            }
            let badEnum = try await market.http.call(
                "POST", "/v1/conversations/\(market.conversationId)/messages/m-1/flags", as: .bearer(market.buyer), body: #"{"reason":"boring"}"#)
            #expect(badEnum.status == 400 && badEnum.errorCode == "invalid_request")
            let badQuery = try await market.http.call("GET", path + "?limit=lots", as: .bearer(market.buyer))
            #expect(badQuery.status == 400 && badQuery.errorCode == "invalid_request")
            let nulSearch = try await market.http.call("GET", "/v1/inbox?q=a%00b", as: .bearer(market.buyer))
            #expect(nulSearch.status == 400 && nulSearch.errorCode == "invalid_request", "\(nulSearch)")
            let badCursor = try await market.http.call("GET", "/v1/inbox?cursor=%%%", as: .bearer(market.buyer))
            #expect(badCursor.status == 400)
            let unknown = try await market.http.call("GET", "/v1/nowhere", as: .bearer(market.buyer))
            #expect(unknown.status == 404 && unknown.errorCode == "not_found")
            #expect(try await Self.head(market.http) == before)
            // And the server goes on serving.
            #expect(try await market.post("still here", as: market.buyer).status == 201)
        }
    }

    @Test("malformed, unknown, binary and oversized frames: error frames or a close, others unaffected, nothing written")
    func stream() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url, arguments: ["--hello-timeout", "4"])
            let market = try await Marketplace.open(on: server)
            let bystander = try await StreamClient.live(port: server.port, token: market.vendor).client
            let before = try await Self.head(market.http)

            let client = try await StreamClient.live(port: server.port, token: market.buyer).client
            let frames: [(text: String, code: String)] = [
                ("{nope", "malformed_json"),
                (#"{"type":"ping","id":"p0",}"#, "malformed_json"),
                (#"{"type":"ping","type":"send"}"#, "malformed_json"),
                (String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), "malformed_json"),
                (#"{"type":"teleport"}"#, "unknown_frame_type"),
                (#"{"type":"send","conversationId":"\#(market.conversationId)","clientMessageId":7,"text":"x"}"#, "invalid_request"),
                (#"{"type":"send","conversationId":"\#(market.conversationId)","text":"x"}"#, "invalid_request"),
                (#"{"type":"read","conversationId":"c_unknown","upToMessageId":"m"}"#, "conversation_not_found"),
                (#"{"type":"hello","offset":null,"epoch":null}"#, "hello_repeated"),
            ]
            for frame in frames {
                try await client.send(frame.text)
                let error = try await client.next(type: "error")
                #expect(error["code"] as? String == frame.code, "\(frame.text): \(error)")
                #expect((error["message"] as? String)?.isEmpty == false)
            }
            // A frame that parsed but does not fit (2^70 bytes) names the frame it answers.
            try await client.send(
                #"{"type":"send","id":"s-70","conversationId":"\#(market.conversationId)","clientMessageId":"c-70","text":"x","#
                    + #""attachment":{"name":"a.pdf","contentType":"application/pdf","bytes":1180591620717411303424}}"#)
            let tooBig = try await client.next(type: "error")
            #expect(tooBig["code"] as? String == "invalid_request", "\(tooBig)")
            #expect(tooBig["ref"] as? String == "s-70", "\(tooBig)")
            try await client.sendBinary([1, 2, 3])
            #expect(try await client.next(type: "error")["code"] as? String == "text_frames_only")
            try await client.send(#"{"type":"ping","id":"p1"}"#)
            #expect(try await client.next(type: "pong")["ref"] as? String == "p1")
            #expect(try await Self.head(market.http) == before)

            // A frame over the limit closes that connection with 1009; the bystander keeps its stream.
            try await client.send(#"{"type":"ping","id":"\#(String(repeating: "x", count: 70_000))"}"#)
            #expect(try await client.closeCode() == 1009)
            let ack = try await market.post("after the noise", as: market.buyer)
            let update = try await bystander.next(type: "update")
            #expect(update["offset"] as? Int == ack["offset"] as? Int)

            // A first frame that is not hello: an error frame, then a protocol-error close.
            let rude = try await StreamClient.connect(port: server.port, token: market.buyer)
            try await rude.send(#"{"type":"ping"}"#)
            #expect(try await rude.next(type: "error")["code"] as? String == "hello_expected")
            #expect(try await rude.closeCode() == 4400)
            // A connection that never says hello is closed too.
            let silent = try await StreamClient.connect(port: server.port, token: market.buyer)
            #expect(try await silent.closeCode(timeout: .seconds(10)) == 4400)
            await bystander.close()
        }
    }

    @Test("watermarks, flags and redactions naming a message the conversation does not hold: 404 message_not_found, nothing written; a message just sent is found at once", .timeLimit(.minutes(2)))
    func unknownMessages() async throws {
        try await TestDatabase.with { url in
            let server = try await ServerProcess(url: url)
            let market = try await Marketplace.open(on: server)
            let other = try await Marketplace.open(on: server)
            let elsewhere = try #require(try await other.post("in another conversation", as: other.buyer)["messageId"] as? String)
            let c = "/v1/conversations/\(market.conversationId)"
            let before = try await Self.head(market.http)
            for unknown in ["m_never_sent", elsewhere] {
                let refusals = [
                    try await market.http.call("POST", c + "/read", as: .bearer(market.vendor), body: #"{"upToMessageId":"\#(unknown)"}"#),
                    try await market.http.call("POST", c + "/delivered", as: .bearer(market.vendor), body: #"{"upToMessageId":"\#(unknown)"}"#),
                    try await market.http.call("POST", c + "/messages/\(unknown)/flags", as: .bearer(market.vendor), body: #"{"reason":"spam"}"#),
                    try await market.http.call(
                        "POST", "/v1/staff/conversations/\(market.conversationId)/messages/\(unknown)/redact", as: .bearer(market.staff),
                        body: #"{"reason":"phone number"}"#),
                ]
                for answer in refusals { #expect(answer.status == 404 && answer.errorCode == "message_not_found", "\(unknown): \(answer)") }
            }
            #expect(try await Self.head(market.http) == before)
            // Sent and read at once: found in the log after the inbox's checkpoint, whatever the projector's lag.
            let sent = try #require(try await market.post("just now", as: market.buyer)["messageId"] as? String)
            let read = try await market.http.call("POST", c + "/read", as: .bearer(market.vendor), body: #"{"upToMessageId":"\#(sent)"}"#)
            #expect(read.status == 200, "\(read)")
        }
    }
}
