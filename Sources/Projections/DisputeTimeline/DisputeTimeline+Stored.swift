public import EventLog
public import Logging
public import PostgresNIO

extension DisputeTimeline: StoredProjection {
    public static let tables = [TimelineEntry.table]

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await TimelineEntry.upsert(rowsOf: changes, suffix: suffix, on: connection, logger: logger)
    }
}

extension DisputeTimeline.Change: RowChange {
    var row: TimelineEntry {
        switch self {
        case .insert(let entry): entry
        }
    }
}

extension TimelineEntry: StoredRow {
    static let table = "parley_dispute_timeline"
    static let keyColumns = ["timeline_kind", "timeline_id", "position"]
    static let valueColumns = ["stream", "stream_version", "event_type", "actor", "occurred_at", "recorded_at"]

    func writeColumns(json writer: inout JSONWriter) {
        writer.beginObject()
        switch self.timeline {
        case .conversation(let id):
            writer.field("timeline_kind", "conversation")
            writer.field("timeline_id", id)
        case .order(let id):
            writer.field("timeline_kind", "order")
            writer.field("timeline_id", id)
        }
        writer.field("position", self.position)
        writer.field("stream", self.stream.description)
        writer.field("stream_version", self.streamVersion)
        writer.field("event_type", self.event.typeName)
        writer.field("actor", self.actor)
        writer.field("occurred_at", self.occurredAt)
        writer.field("recorded_at", self.recordedAt)
        writer.endObject()
    }
}
