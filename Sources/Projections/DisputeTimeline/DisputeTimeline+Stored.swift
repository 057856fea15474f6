public import EventLog
public import Logging
public import PostgresNIO

extension DisputeTimeline: ResumableProjection {
    public static let tables = [TimelineEntry.table, TimelineConversationRow.table]

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(changes, picking: { if case .conversation(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .insert(let entry) = $0 { entry } else { nil } })
    }

    public static func load(_ selectors: [RowSelector], client: PostgresClient, logger: Logger) async throws -> [Change] {
        var (conversations, orders, buyers, vendors) = ([String](), [String](), [String](), [String]())
        for selector in selectors {
            switch selector {
            case .conversation(let id): conversations.append(id)
            case .order(let id): orders.append(id)
            case .between(let a, let b):
                buyers += [a, b]
                vendors += [b, a]
            }
        }
        // One index per branch (primary key, _order, _pair): the three conditions joined with OR
        // would scan the whole table for every page.
        let rows = try await client.query(
            """
            SELECT conversation_id, buyer_id, vendor_id, order_id FROM parley_dispute_timeline_conversations
            WHERE conversation_id = ANY(\(conversations))
            UNION
            SELECT conversation_id, buyer_id, vendor_id, order_id FROM parley_dispute_timeline_conversations
            WHERE order_id = ANY(\(orders))
            UNION
            SELECT c.conversation_id, c.buyer_id, c.vendor_id, c.order_id
            FROM unnest(\(buyers)::text[], \(vendors)::text[]) AS p(buyer_id, vendor_id)
            JOIN parley_dispute_timeline_conversations c ON c.buyer_id = p.buyer_id AND c.vendor_id = p.vendor_id
            """, logger: logger)
        var loaded: [Change] = []
        for try await (conversation, buyer, vendor, order) in rows.decode((String, String, String, String?).self) {
            loaded.append(.conversation(TimelineConversationRow(conversationId: conversation, buyerId: buyer, vendorId: vendor, orderId: order)))
        }
        return loaded
    }
}

extension TimelineConversationRow: StoredRow {
    static let table = "parley_dispute_timeline_conversations"
    static let keyColumns = ["conversation_id"]
    static let valueColumns = ["buyer_id", "vendor_id", "order_id"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("buyer_id", self.buyerId)
        writer.field("vendor_id", self.vendorId)
        writer.field("order_id", self.orderId)
        writer.endObject()
    }
}

extension TimelineEntry: StoredRow {
    static let table = "parley_dispute_timeline"
    static let keyColumns = ["timeline_kind", "timeline_id", "position"]
    static let valueColumns = ["stream", "stream_version", "event_type", "actor", "occurred_at", "recorded_at"]

    func writeColumns(into writer: inout some ColumnWriter) {
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
