public import Logging
public import PostgresNIO

extension MessageVolume: StoredProjection {
    public static let tables = [MessageVolumeRow.table]

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await MessageVolumeRow.upsert(rowsOf: changes, suffix: suffix, on: connection, logger: logger)
    }
}

extension MessageVolume.Change: RowChange {
    var row: MessageVolumeRow {
        switch self {
        case .upsert(let row): row
        }
    }
}

extension MessageVolumeRow: StoredRow {
    static let table = "parley_message_volume_daily"
    static let keyColumns = ["day", "subject_kind"]
    static let valueColumns = ["conversations_started", "messages", "automated_messages"]

    func writeColumns(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("day", self.day.description)
        writer.field("subject_kind", self.subjectKind)
        writer.field("conversations_started", self.conversationsStarted)
        writer.field("messages", self.messages)
        writer.field("automated_messages", self.automatedMessages)
        writer.endObject()
    }
}
