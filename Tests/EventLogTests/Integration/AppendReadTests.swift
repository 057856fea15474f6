@_spi(Testing) import EventLog
import Foundation
import ParleyTestSupport
import Testing

@Suite("Append and read against PostgreSQL")
struct AppendReadTests {
    @Test("every envelope field round-trips, unicode and emoji included")
    func roundTrip() async throws {
        try await withEventLog(configure: { $0.clock = { Timestamp(microseconds: 1_772_323_200_123_456) } }) { log, _ in
            let stream = try StreamName("conversation-c-42")
            let payload = json(#"{"text":"Größe? 日本語 👍🏽 \u0000 \"quoted\""}"#)
            let metadata = EventMetadata(actor: "user:u-1 ✓", causationId: "cmd-9", correlationId: "req-7")
            let result = try await log.append(
                [EventData(type: "MessageSent", schemaVersion: 3, payload: payload, metadata: metadata, idempotencyKey: "c-42-m001")],
                to: stream, expecting: .noStream)
            #expect(result.events.map(\.position) == [1])
            #expect(result.events.map(\.streamVersion) == [1])
            #expect(!result.deduplicated)

            let event = try #require(try await log.read(after: 0).first)
            #expect(event.position == 1)
            #expect(event.stream == stream)
            #expect(event.stream.category == "conversation")
            #expect(event.stream.id == "c-42")
            #expect(event.streamVersion == 1)
            #expect(event.type == "MessageSent")
            #expect(event.schemaVersion == 3)
            #expect(event.recordedAt == Timestamp(microseconds: 1_772_323_200_123_456))
            #expect(event.idempotencyKey == "c-42-m001")
            #expect(event.metadata == metadata)
            #expect(event.payload == payload)
            #expect(event.hash.count == 32)

            let byStream = try await log.read(stream: stream, from: 1)
            #expect(byStream == [event])
            var scanned: [RecordedEvent] = []
            for try await batch in log.scan() { scanned += batch }
            #expect(scanned == [event])
        }
    }

    @Test("a payload of exactly the limit is accepted; one byte more is refused and nothing is written")
    func payloadLimit() async throws {
        try await withEventLog(configure: { $0.maxPayloadBytes = 1_024 }) { log, _ in
            let stream = try StreamName("conversation-c-1")
            let exact = json("\"" + String(repeating: "x", count: 1_022) + "\"")
            #expect(exact.count == 1_024)
            try await log.append([EventData(type: "Big", payload: exact)], to: stream)
            let over = exact + [0x20]
            let error = await #expect(throws: EventLogError.self) {
                try await log.append([EventData(type: "Big", payload: over)], to: stream)
            }
            #expect(error?.code == .payloadTooLarge)
            #expect(error?.message.contains("1025 bytes; the limit is 1024") == true)
            #expect(try await log.head().position == 1)
            #expect(try await log.read(after: 0).map(\.payload) == [exact])
        }
    }

    @Test("bad input gets typed errors and leaves the log unchanged")
    func badInput() async throws {
        try await withEventLog { log, url in
            let stream = try StreamName("conversation-c-1")
            let ok = EventData(type: "MessageSent", payload: json("{}"))
            let cases: [(AppendRequest, EventLogError.Code)] = [
                (AppendRequest(stream: stream, events: []), .emptyAppend),
                (AppendRequest([]), .emptyAppend),
                (AppendRequest(stream: stream, events: [EventData(type: "", payload: json("{}"))]), .invalidEvent),
                (AppendRequest(stream: stream, events: [EventData(type: "has space", payload: json("{}"))]), .invalidEvent),
                (AppendRequest(stream: stream, events: [EventData(type: "T", schemaVersion: 0, payload: json("{}"))]), .invalidEvent),
                (AppendRequest(stream: stream, events: [EventData(type: "T", payload: json("{}"), idempotencyKey: "")]), .invalidEvent),
                (AppendRequest(stream: stream, events: [
                    EventData(type: "T", payload: json("{}"), idempotencyKey: "k"), EventData(type: "T", payload: json("{}"), idempotencyKey: "k"),
                ]), .duplicateIdempotencyKey),
                (AppendRequest([.init(stream: stream, events: [ok]), .init(stream: stream, expectedVersion: .noStream, events: [ok])]), .invalidEvent),
                (AppendRequest(stream: stream, expectedVersion: .exactly(-1), events: [ok]), .invalidEvent),
            ]
            for (request, code) in cases {
                let error = await #expect(throws: EventLogError.self) { try await log.append(request) }
                #expect(error?.code == code, "\(request)")
            }
            for name in ["nodash", "Upper-1", "-x", "conv-", "conv-has space", "conv-é", "1abc-x", "con.v-1"] {
                let error = #expect(throws: EventLogError.self) { try StreamName(name) }
                #expect(error?.code == .invalidStreamName, "\(name)")
            }
            #expect(try await log.head().position == 0)
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_events") == ["0"])
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_streams") == ["0"])
        }
    }

    @Test("a version conflict names the stream's actual version and writes nothing")
    func versionConflict() async throws {
        try await withEventLog { log, _ in
            let stream = try StreamName("order-o-1")
            let event = EventData(type: "OrderStateChanged", payload: json(#"{"state":"placed"}"#))
            try await log.append([event, event], to: stream, expecting: .noStream)
            for expected in [ExpectedVersion.noStream, .exactly(1), .exactly(3)] {
                let error = await #expect(throws: EventLogError.self) { try await log.append([event], to: stream, expecting: expected) }
                #expect(error?.code == .wrongExpectedVersion)
                #expect(error?.actualVersion?.version == 2)
                #expect(error?.actualVersion?.stream == stream)
            }
            let ok = try await log.append([event], to: stream, expecting: .exactly(2))
            #expect(ok.events.map(\.streamVersion) == [3])
            #expect(try await log.head().position == 3)
        }
    }

    @Test("an append to several streams is atomic: one conflict fails all of it")
    func multiStreamAtomic() async throws {
        try await withEventLog { log, _ in
            let a = try StreamName("conversation-a")
            let b = try StreamName("order-b")
            let event = EventData(type: "T", payload: json("{}"))
            let both = try await log.append(AppendRequest([.init(stream: a, expectedVersion: .noStream, events: [event, event]),
                                                            .init(stream: b, expectedVersion: .noStream, events: [event])]))
            #expect(both.events.map(\.position) == [1, 2, 3])
            #expect(both.events.map(\.streamVersion) == [1, 2, 1])
            let error = await #expect(throws: EventLogError.self) {
                try await log.append(AppendRequest([.init(stream: a, expectedVersion: .exactly(2), events: [event]),
                                                    .init(stream: b, expectedVersion: .noStream, events: [event])]))
            }
            #expect(error?.code == .wrongExpectedVersion)
            #expect(try await log.version(of: a) == 2)
            #expect(try await log.head().position == 3)
        }
    }

    @Test("a stream may come back later in one append (any version): events land in request order, versions dense; with an expected version it is refused")
    func interleavedStreams() async throws {
        try await withEventLog { log, _ in
            let a = try StreamName("conversation-a")
            let b = try StreamName("conversation-b")
            func event(_ n: Int) -> EventData { EventData(type: "T", payload: json("{\"n\":\(n)}"), idempotencyKey: "k-\(n)") }
            let request = AppendRequest([
                .init(stream: a, events: [event(1), event(2)]), .init(stream: b, events: [event(3)]), .init(stream: a, events: [event(4)]),
            ])
            let result = try await log.append(request)
            #expect(result.events.map(\.position) == [1, 2, 3, 4])
            #expect(result.events.map(\.stream) == [a, a, b, a])
            #expect(result.events.map(\.streamVersion) == [1, 2, 1, 3])
            #expect(try await log.read(stream: a, from: 1).map(\.payload) == [json("{\"n\":1}"), json("{\"n\":2}"), json("{\"n\":4}")])
            // The same request again is a retry: the original places, nothing written.
            let retry = try await log.append(request)
            #expect(retry.deduplicated && retry.events == result.events)
            let error = await #expect(throws: EventLogError.self) {
                try await log.append(AppendRequest([
                    .init(stream: a, events: [event(5)]), .init(stream: b, events: [event(6)]),
                    .init(stream: a, expectedVersion: .exactly(4), events: [event(7)]),
                ]))
            }
            #expect(error?.code == .invalidEvent)
            #expect(error?.message.contains("appears twice") == true)
            #expect(try await log.head().position == 4)
        }
    }

    @Test("a retry with the same idempotency key returns the original positions and writes nothing")
    func idempotentRetry() async throws {
        try await withEventLog { log, url in
            let stream = try StreamName("conversation-c-1")
            let event = EventData(type: "MessageSent", payload: json(#"{"text":"hi"}"#), idempotencyKey: "m-1")
            let first = try await log.append([event], to: stream, expecting: .noStream)
            try await log.append([EventData(type: "MessageSent", payload: json("{}"))], to: stream)
            // The retry would fail its expected version; a duplicate is recognised first.
            let retry = try await log.append([event], to: stream, expecting: .noStream)
            #expect(retry.deduplicated)
            #expect(retry.events == first.events)
            // Concurrent retries within one group-commit batch resolve to the same original too.
            let fresh = EventData(type: "MessageSent", payload: json("{}"), idempotencyKey: "m-2")
            let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
                for _ in 0..<20 { group.addTask { try await log.append([fresh], to: stream) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(results.map(\.events)).count == 1)
            #expect(results.filter { !$0.deduplicated }.count == 1)
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_events") == ["3"])
            // The same key on another stream is not a retry: refused, not silently dropped.
            let elsewhere = await #expect(throws: EventLogError.self) {
                try await log.append([event], to: try StreamName("conversation-c-2"))
            }
            #expect(elsewhere?.code == .idempotencyKeyReused)
            // Half old, half new: refused whole.
            let partial = await #expect(throws: EventLogError.self) {
                try await log.append([event, EventData(type: "MessageSent", payload: json("{}"), idempotencyKey: "m-3")], to: stream)
            }
            #expect(partial?.code == .duplicateIdempotencyKey)
            #expect(try await log.head().position == 3)
        }
    }

    @Test("two logs on one database (as two processes) racing the same key write it once")
    func idempotencyRaceAcrossClients() async throws {
        try await withEventLog { log, url in
            let other = EventLog(url: url, logger: testLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await other.run() }
                let stream = try StreamName("conversation-race")
                for round in 0..<20 {
                    let event = EventData(type: "MessageSent", payload: json("{}"), idempotencyKey: "race-\(round)")
                    async let a = log.append([event], to: stream)
                    async let b = other.append([event], to: stream)
                    let (ra, rb) = try await (a, b)
                    #expect(ra.events == rb.events)
                    #expect(ra.deduplicated != rb.deduplicated)
                }
                group.cancelAll()
            }
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_events") == ["20"])
        }
    }

    @Test("stream reads page forwards and backwards by version")
    func streamPaging() async throws {
        try await withEventLog { log, _ in
            let stream = try StreamName("conversation-p")
            for i in 1...7 { try await log.append([EventData(type: "T", payload: json("{\"i\":\(i)}"))], to: stream) }
            try await log.append([EventData(type: "T", payload: json("{}"))], to: try StreamName("conversation-other"))
            #expect(try await log.read(stream: stream, from: 3, limit: 2).map(\.streamVersion) == [3, 4])
            #expect(try await log.read(stream: stream, from: 7, backwards: true, limit: 3).map(\.streamVersion) == [7, 6, 5])
            #expect(try await log.read(stream: try StreamName("conversation-none"), from: 1).isEmpty)
            #expect(try await log.read(after: 5, limit: 10).map(\.position) == [6, 7, 8])
        }
    }

    @Test("history cannot be rewritten through SQL: updates and deletes of events are refused")
    func appendOnly() async throws {
        try await withEventLog { log, url in
            try await log.append([EventData(type: "T", payload: json("{}"))], to: try StreamName("conversation-x"))
            await #expect(throws: (any Error).self) { _ = try await sql(url, "UPDATE parley_events SET type_id = type_id RETURNING 'x'") }
            await #expect(throws: (any Error).self) { _ = try await sql(url, "DELETE FROM parley_events RETURNING 'x'") }
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_events") == ["1"])
        }
    }
}
