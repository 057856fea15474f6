public import Logging
public import PostgresNIO

extension Inbox: StoredProjection {
    public static let tables = ["parley_inbox"]

    /// Upserts rows through `json_populate_recordset`: the JSON members are the table's columns,
    /// and absent members are NULL (PostgresNIO binds no arrays with NULL elements).
    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !changes.isEmpty else { return }
        var writer = JSONWriter(capacity: changes.count * 400)
        writer.beginArray()
        for change in changes {
            switch change {
            case .upsert(let row): row.writeColumns(json: &writer)
            }
        }
        writer.endArray()
        let json = String(decoding: writer.bytes, as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO parley_inbox\(unescaped: suffix)
            SELECT * FROM json_populate_recordset(NULL::parley_inbox\(unescaped: suffix), \(json)::json)
            ON CONFLICT (owner_id, conversation_id) DO UPDATE SET
                counterpart_id = EXCLUDED.counterpart_id, counterpart_role = EXCLUDED.counterpart_role,
                counterpart_name = EXCLUDED.counterpart_name, subject_kind = EXCLUDED.subject_kind,
                listing_id = EXCLUDED.listing_id, order_id = EXCLUDED.order_id, subject_title = EXCLUDED.subject_title,
                price_cents = EXCLUDED.price_cents, order_state = EXCLUDED.order_state,
                last_message_preview = EXCLUDED.last_message_preview, last_message_redacted = EXCLUDED.last_message_redacted,
                last_message_id = EXCLUDED.last_message_id, last_message_at = EXCLUDED.last_message_at,
                last_message_sender_id = EXCLUDED.last_message_sender_id, last_activity_at = EXCLUDED.last_activity_at,
                unread_count = EXCLUDED.unread_count, awaiting_reply = EXCLUDED.awaiting_reply, blocked = EXCLUDED.blocked,
                blocked_by_counterpart = EXCLUDED.blocked_by_counterpart, muted = EXCLUDED.muted
            """, logger: logger)
    }
}

extension InboxRow {
    /// The row as a JSON object whose members are `parley_inbox`'s columns.
    func writeColumns(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("owner_id", self.ownerId)
        writer.field("conversation_id", self.conversationId)
        writer.field("counterpart_id", self.counterpartId)
        writer.field("counterpart_role", self.counterpartRole)
        writer.field("counterpart_name", self.counterpartName)
        writer.field("subject_kind", self.subject.kind)
        writer.field("listing_id", self.subject.listingId)
        writer.field("order_id", self.subject.orderId)
        writer.field("subject_title", self.subject.title)
        writer.field("price_cents", self.subject.priceCents)
        writer.field("order_state", self.orderState)
        writer.field("last_message_preview", self.lastMessagePreview)
        writer.field("last_message_redacted", self.lastMessageRedacted)
        writer.field("last_message_id", self.lastMessageId)
        writer.field("last_message_at", self.lastMessageAt)
        writer.field("last_message_sender_id", self.lastMessageSenderId)
        writer.field("last_activity_at", self.lastActivityAt)
        writer.field("unread_count", self.unreadCount)
        writer.field("awaiting_reply", self.awaitingReply)
        writer.field("blocked", self.blocked)
        writer.field("blocked_by_counterpart", self.blockedByCounterpart)
        writer.field("muted", self.muted)
        writer.endObject()
    }
}
