public import Logging
public import PostgresNIO

extension MessageVolume: ResumableProjection {
    public static let tables = [MessageVolumeRow.table, VolumeConversationRow.table]

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(changes, picking: { if case .conversation(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .upsert(let row) = $0 { row } else { nil } })
    }

    public static func load(_ selectors: [RowSelector], client: PostgresClient, logger: Logger) async throws -> [Change] {
        var (conversations, days) = ([String](), [Int64]())
        for selector in selectors {
            switch selector {
            case .conversation(let id): conversations.append(id)
            case .day(let day): days.append(day.daysSince1970)
            }
        }
        var loaded: [Change] = []
        let kinds = try await client.query(
            "SELECT conversation_id, subject_kind FROM parley_message_volume_conversations WHERE conversation_id = ANY(\(conversations))",
            logger: logger)
        for try await (conversation, kind) in kinds.decode((String, String).self) {
            loaded.append(.conversation(VolumeConversationRow(conversationId: conversation, subjectKind: try ConversationSubject.Kind(stored: kind, in: VolumeConversationRow.table))))
        }
        let rows = try await client.query(
            """
            SELECT (day - DATE '1970-01-01')::int8, subject_kind, conversations_started, messages, automated_messages
            FROM parley_message_volume_daily
            WHERE day IN (SELECT DATE '1970-01-01' + d::int4 FROM unnest(\(days)::int8[]) AS d)
            """, logger: logger)
        for try await (day, kind, started, messages, automated) in rows.decode((Int64, String, Int, Int, Int).self) {
            loaded.append(.upsert(MessageVolumeRow(
                day: UTCDay(daysSince1970: day), subjectKind: try ConversationSubject.Kind(stored: kind, in: VolumeConversationRow.table), conversationsStarted: started, messages: messages,
                automatedMessages: automated)))
        }
        return loaded
    }
}

extension VolumeConversationRow: StoredRow {
    static let table = "parley_message_volume_conversations"
    static let keyColumns = ["conversation_id"]
    static let valueColumns = ["subject_kind"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("subject_kind", self.subjectKind)
        writer.endObject()
    }
}

extension MessageVolumeRow: StoredRow {
    static let table = "parley_message_volume_daily"
    static let keyColumns = ["day", "subject_kind"]
    static let valueColumns = ["conversations_started", "messages", "automated_messages"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("day", self.day.description)
        writer.field("subject_kind", self.subjectKind)
        writer.field("conversations_started", self.conversationsStarted)
        writer.field("messages", self.messages)
        writer.field("automated_messages", self.automatedMessages)
        writer.endObject()
    }
}
