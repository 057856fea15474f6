public import Logging
public import PostgresNIO

extension ReviewQueue: ResumableProjection {
    public static let tables = [ReviewItemRow.table]

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(rowsOf: changes)
    }
}

extension ReviewQueue.Change: RowChange {
    var row: ReviewItemRow {
        switch self {
        case .upsert(let row): row
        }
    }
}

extension ReviewItemRow: StoredRow {
    static let table = "parley_review_queue"
    static let keyColumns = ["conversation_id", "message_id"]
    static let valueColumns = [
        "sender_id", "status", "moderation_action", "classes", "rule", "score", "reporters", "reporter_ids", "reasons", "original_text",
        "first_at", "last_at", "decided_by", "decision_reason",
    ]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("message_id", self.messageId)
        writer.field("sender_id", self.senderId)
        writer.field("status", self.status)
        writer.field("moderation_action", self.moderationAction)
        writer.field("classes", self.classes)
        writer.field("rule", self.rule)
        writer.field("score", self.score)
        writer.field("reporters", self.reporters)
        writer.field("reporter_ids", self.reporterIds)
        writer.field("reasons", self.reasons)
        writer.field("original_text", self.originalText)
        writer.field("first_at", self.firstAt)
        writer.field("last_at", self.lastAt)
        writer.field("decided_by", self.decidedBy)
        writer.field("decision_reason", self.decisionReason)
        writer.endObject()
    }
}
