public import Logging
public import PostgresNIO

extension VendorResponseMetrics: StoredProjection {
    public static let tables = [ConversationResponseRow.table, VendorDayMetricsRow.table]

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await ConversationResponseRow.upsert(
            changes, picking: { if case .conversation(let row) = $0 { row } else { nil } }, suffix: suffix, on: connection, logger: logger)
        try await VendorDayMetricsRow.upsert(
            changes, picking: { if case .vendorDay(let row) = $0 { row } else { nil } }, suffix: suffix, on: connection, logger: logger)
    }
}

extension ConversationResponseRow: StoredRow {
    static let table = "parley_response_conversations"
    static let keyColumns = ["conversation_id"]
    static let valueColumns = ["vendor_id", "asked_at", "answered_at"]

    func writeColumns(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("vendor_id", self.vendorId)
        writer.field("asked_at", self.askedAt)
        writer.field("answered_at", self.answeredAt)
        writer.endObject()
    }
}

extension VendorDayMetricsRow: StoredRow {
    static let table = "parley_vendor_response_daily"
    static let keyColumns = ["vendor_id", "day"]
    static let valueColumns = [
        "conversations", "answered", "answered_within_1h", "answered_within_24h", "median_response_seconds", "mean_response_seconds",
    ]

    func writeColumns(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("vendor_id", self.vendorId)
        writer.field("day", self.day.description)
        writer.field("conversations", self.conversations)
        writer.field("answered", self.answered)
        writer.field("answered_within_1h", self.answeredWithin1h)
        writer.field("answered_within_24h", self.answeredWithin24h)
        if let median = self.medianResponseSeconds { writer.key("median_response_seconds"); writer.numberText(String(median)) }
        if let mean = self.meanResponseSeconds { writer.key("mean_response_seconds"); writer.numberText(String(mean)) }
        writer.endObject()
    }
}
