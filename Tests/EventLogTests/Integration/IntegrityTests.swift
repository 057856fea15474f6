@_spi(Testing) import EventLog
import Foundation
import ParleyTestSupport
import Testing

@Suite("Hash chain, compression dictionaries and migrations")
struct IntegrityTests {
    @Test("verify passes on an intact log and names the exact position whose payload was changed with SQL")
    func tamper() async throws {
        try await withEventLog { log, url in
            for i in 1...50 {
                try await log.append(
                    [EventData(type: "MessageSent", payload: json(#"{"text":"message \#(i)"}"#))],
                    to: try StreamName("conversation-c-\(i % 4)"))
            }
            let intact = try await log.verify()
            #expect(intact.isIntact)
            #expect(intact.checked == 50)

            // A malicious operator bypasses the append-only trigger and rewrites event 37's body.
            _ = try await sql(url, """
                UPDATE parley_events SET body = '\\x000100000000'::bytea || convert_to('{"text":"forged"}', 'UTF8')
                WHERE position = 37 RETURNING 'x'
                """, replica: true)
            #expect(try await log.read(after: 36, limit: 1).first?.payload == json(#"{"text":"forged"}"#))
            let report = try await log.verify()
            #expect(report.firstBrokenPosition == 37)
            #expect(report.checked == 36)
            #expect(try await log.verify(from: 1, to: 36).isIntact)
            #expect(try await log.verify(from: 38).isIntact)
        }
    }

    @Test("events written under dictionary 1 still decode after dictionary 2 is introduced")
    func dictionaryVersions() async throws {
        try await withEventLog(configure: { $0.trainDictionaryAfter = nil }) { log, url in
            func message(_ i: Int) -> EventData {
                EventData(
                    type: "MessageSent",
                    payload: json(#"{"conversation":"c-\#(i % 7)","sender":"u-0000\#(i % 9)","text":"Hi! Is the oak dining table still available? Order \#(i)"}"#),
                    metadata: EventMetadata(actor: "user:u-0000\(i % 9)"), idempotencyKey: "m-\(i)")
            }
            let stream = try StreamName("conversation-c-1")
            for i in 0..<40 { try await log.append([message(i)], to: stream) }
            let first = try await log.trainDictionary()
            #expect(first.id == 1)
            #expect(!first.bytes.isEmpty)
            for i in 40..<80 { try await log.append([message(i)], to: stream) }
            let second = try await log.trainDictionary()
            #expect(second.id == 2)
            for i in 80..<120 { try await log.append([message(i)], to: stream) }

            // The first byte is the codec (0 raw, 1 LZ4, 2 LZ4 with the dictionary named next).
            let codecs = try await sql(url, """
                SELECT CASE get_byte(body, 0) WHEN 2 THEN 'dict ' || get_byte(body, 1) ELSE 'codec ' || get_byte(body, 0) END
                FROM parley_events ORDER BY position
                """)
            #expect(codecs.prefix(40).allSatisfy { $0 == "codec 1" || $0 == "codec 0" })
            #expect(codecs[40..<80].allSatisfy { $0 == "dict 1" })
            #expect(codecs[80..<120].allSatisfy { $0 == "dict 2" })

            var all: [RecordedEvent] = []
            for try await batch in log.scan() { all += batch }
            #expect(all.map(\.payload) == (0..<120).map { message($0).payload })
            #expect(all.map(\.idempotencyKey) == (0..<120).map { "m-\($0)" })
            #expect(try await log.read(after: 0, limit: 200).map(\.payload) == all.map(\.payload))
            #expect(try await log.verify().isIntact)

            let stored = try await sql(url, "SELECT sum(octet_length(body))::text FROM parley_events WHERE get_byte(body, 0) = 2 AND get_byte(body, 1) = 2")
            let raw = (80..<120).reduce(0) { $0 + message($1).payload.count }
            #expect(Int(stored[0] ?? "0")! < raw, "dictionary compression must make bodies smaller than their payloads")
        }
    }

    @Test("the first dictionary is trained automatically once the log is big enough")
    func automaticTraining() async throws {
        try await withEventLog(configure: { $0.trainDictionaryAfter = 30 }) { log, url in
            let stream = try StreamName("conversation-c-1")
            for i in 0..<60 {
                try await log.append([EventData(type: "MessageSent", payload: json(#"{"text":"Thanks for your order number \#(i)!"}"#))], to: stream)
            }
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_dictionaries") == ["1"])
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_events WHERE get_byte(body, 0) = 2")[0].flatMap(Int.init)! > 0)
        }
    }

    @Test("migrations are safe to run twice and from several processes at once")
    func migrationsConcurrent() async throws {
        try await TestDatabase.with { url in
            let log = EventLog(url: url, logger: testLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await log.migrate() } }
                try await group.waitForAll()
            }
            let again = try await Migrator().migrate(url: url, logger: testLogger)
            #expect(again.isEmpty)
            let applied = try await sql(url, "SELECT version::text FROM parley_migrations ORDER BY parley_migrations.version")
            let shipped = try Migrator().migrations.map { String($0.version) }
            #expect(applied == shipped)
            #expect(try await sql(url, "SELECT count(*)::text FROM parley_log_head") == ["1"])
        }
    }

    @Test("two migrations with one number (of two layers) are refused before anything runs")
    func migrationNumbersCollide() async throws {
        try await TestDatabase.with { (url) async throws in
            let log = Migrator.Migration(version: 1, name: "0001_log.sql", sql: "CREATE TABLE collide_log (id int)")
            let layer = Migrator.Migration(version: 1, name: "0001_layer.sql", sql: "CREATE TABLE collide_layer (id int)")
            let refusal = await #expect(throws: EventLogError.self) {
                try await Migrator(migrations: [log, layer]).migrate(url: url, logger: testLogger)
            }
            #expect(refusal?.code == .database && "\(String(describing: refusal))".contains("share the number 1"), "\(String(describing: refusal))")
            let created = try await sql(url, "SELECT count(*)::text FROM pg_tables WHERE tablename LIKE 'collide_%'")
            #expect(created == ["0"])
        }
    }
}
