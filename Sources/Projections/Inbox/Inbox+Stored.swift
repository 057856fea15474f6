public import Logging
public import PostgresNIO

extension Inbox: StoredProjection {
    public static let tables = [InboxRow.table]

    public static func write(_ changes: [Change], suffix: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await InboxRow.upsert(rowsOf: changes, suffix: suffix, on: connection, logger: logger)
    }
}

extension Inbox.Change: RowChange {
    var row: InboxRow {
        switch self {
        case .upsert(let row): row
        }
    }
}

extension InboxRow: StoredRow {
    static let table = "parley_inbox"
    static let keyColumns = ["owner_id", "conversation_id"]
    static let valueColumns = [
        "counterpart_id", "counterpart_role", "counterpart_name", "subject_kind", "listing_id", "order_id", "subject_title",
        "price_cents", "order_state", "last_message_preview", "last_message_redacted", "last_message_id", "last_message_at",
        "last_message_sender_id", "last_activity_at", "unread_count", "awaiting_reply", "blocked", "blocked_by_counterpart", "muted",
    ]

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
