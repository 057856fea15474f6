import EventLog
import ParleyTestSupport
import PostgresNIO
@testable import Projections
import Testing

@Suite("Bulk loads with COPY")
struct CopyLoadTests {
    /// Rows whose text needs every escape COPY's text format and array literals have, NULLs,
    /// arrays, numbers with fractions and timestamps.
    static let rows: [ReviewItemRow] = [
        ReviewItemRow(
            conversationId: "c-1", messageId: "m\t1", senderId: nil, status: .open, moderationAction: "hold\\x", classes: "phone,email",
            rule: "line\nbreak\rreturn", score: 0.125, reporters: 3, reporterIds: ["a,b", "q\"uote", "back\\slash", "tab\there", "{brace}", "", "NULL"],
            reasons: "\\N", originalText: "é ✓ \u{1}", firstAt: Timestamp(microseconds: 1_767_225_600_123_456),
            lastAt: Timestamp(microseconds: 1_767_225_700_000_001), decidedBy: nil, decisionReason: nil),
        ReviewItemRow(
            conversationId: "c-2", messageId: "m-2", senderId: "u-1", status: .warned, moderationAction: nil, classes: "",
            rule: nil, score: 1e-7, reporters: 0, reporterIds: [], reasons: "", originalText: nil,
            firstAt: Timestamp(microseconds: 0), lastAt: Timestamp(microseconds: -1), decidedBy: "s-1", decisionReason: "ok"),
    ]

    @Test("rows bulk-loaded with COPY read back exactly as the same rows upserted as JSON")
    func copyEqualsUpsert() async throws {
        try await withEventLog(layers: StoredProjections.migrations()) { log, url in
            let table = ReviewItemRow.table
            _ = try await sql(url, "CREATE TABLE \(table)_shadow (LIKE \(table) INCLUDING ALL)")
            try await log.client.withConnection { connection in
                try await TableWriter(suffix: "", method: .upsert, connection: connection, logger: testLogger).write(Self.rows)
                try await TableWriter(suffix: "_shadow", method: .copy, connection: connection, logger: testLogger).write(Self.rows)
            }
            let upserted = try await sql(url, "SELECT t::text FROM \(table) t ORDER BY conversation_id")
            let copied = try await sql(url, "SELECT t::text FROM \(table)_shadow t ORDER BY conversation_id")
            #expect(upserted.count == 2)
            #expect(copied == upserted)
            let ids = try await sql(url, "SELECT reporter_ids[2] || '|' || reporter_ids[3] || '|' || reporter_ids[7] FROM \(table)_shadow WHERE conversation_id = 'c-1'")
            #expect(ids == ["q\"uote|back\\slash|NULL"])
        }
    }
}
