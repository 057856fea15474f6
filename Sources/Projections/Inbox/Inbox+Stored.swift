import EventLog
public import Logging
public import PostgresNIO

extension Inbox: ResumableProjection {
    static let threadTables = ThreadTables(prefix: InboxRow.table)
    public static let tables =
        [InboxRow.table] + Self.threadTables.names
        + [InboxProfileRow.table, InboxOrderRow.table, InboxBlockRow.table, InboxSilenceRow.table, HeldMessageRow.table]

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(changes, picking: { if case .upsert(let row) = $0 { row } else { nil } })
        try await Self.threadTables.write(
            threads: changes.compactMap { if case .thread(let row) = $0 { row } else { nil } },
            messages: changes.compactMap { if case .threadMessage(let row) = $0 { row } else { nil } },
            with: tables)
        try await tables.write(changes, picking: { if case .profile(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .orderState(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .block(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .silenced(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .held(let row) = $0 { row } else { nil } })
    }

    /// The SQL counterpart of ``selects(_:_:)``: each kind of selector reads its rows through an index.
    public static func load(_ selectors: [RowSelector], client: PostgresClient, logger: Logger) async throws -> [Change] {
        var (conversations, orders, listings, counterparts, owners) = ([String](), [String](), [String](), [String](), [String]())
        var (pairFirst, pairSecond, profiles, silenced) = ([String](), [String](), [String](), [String]())
        var (threads, held) = (Set<ThreadSelector>(), [MessageKey]())
        for selector in selectors {
            switch selector {
            case .conversation(let id): conversations.append(id)
            case .thread(let thread): threads.insert(thread)
            case .held(let key): held.append(key)
            case .order(let id): orders.append(id)
            case .listing(let id): listings.append(id)
            case .counterpart(let user):
                counterparts.append(user)
                profiles.append(user)
            case .owner(let user):
                owners.append(user)
                silenced.append(user)
            case .pair(let a, let b):
                pairFirst += [a, b]
                pairSecond += [b, a]
            case .profile(let user): profiles.append(user)
            case .silenced(let user): silenced.append(user)
            }
        }
        var loaded: [Change] = []
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM parley_inbox i WHERE i.conversation_id = ANY(\(conversations))
            UNION SELECT \(unescaped: Self.columns) FROM parley_inbox i WHERE i.order_id = ANY(\(orders))
            UNION SELECT \(unescaped: Self.columns) FROM parley_inbox i WHERE i.listing_id = ANY(\(listings))
            UNION SELECT \(unescaped: Self.columns) FROM parley_inbox i WHERE i.counterpart_id = ANY(\(counterparts))
            UNION SELECT \(unescaped: Self.columns) FROM parley_inbox i WHERE i.owner_id = ANY(\(owners))
            UNION SELECT \(unescaped: Self.columns) FROM parley_inbox i
                  JOIN unnest(\(pairFirst)::text[], \(pairSecond)::text[]) AS p(owner_id, counterpart_id)
                    ON i.owner_id = p.owner_id AND i.counterpart_id = p.counterpart_id
            """, logger: logger)
        for try await row in rows {
            var cells = row.makeRandomAccess()
            loaded.append(.upsert(try Self.row(&cells, from: 0)))
        }
        let (threadRows, messages) = try await Self.threadTables.load(threads, client: client, logger: logger)
        loaded += threadRows.map(Change.thread) + messages.map(Change.threadMessage)
        let heldRows = try await client.query(
            """
            SELECT h.conversation_id, h.message_id, h.sender_id, (extract(epoch FROM h.sent_at) * 1000000)::int8, h.preview, h.automated, h.open
            FROM parley_inbox_held h
            JOIN unnest(\(held.map(\.conversationId))::text[], \(held.map(\.messageId))::text[]) AS k(conversation_id, message_id)
              ON h.conversation_id = k.conversation_id AND h.message_id = k.message_id
            """, logger: logger)
        for try await (conversation, message, sender, sentAt, preview, automated, open) in heldRows.decode(
            (String, String, String, Int64, String, Bool, Bool).self)
        {
            loaded.append(.held(HeldMessageRow(
                conversationId: conversation, messageId: message, senderId: sender, sentAt: Timestamp(microseconds: sentAt), preview: preview,
                automated: automated, open: open)))
        }
        let profileRows = try await client.query(
            "SELECT user_id, display_name, role FROM parley_inbox_profiles WHERE user_id = ANY(\(profiles))", logger: logger)
        for try await (user, name, role) in profileRows.decode((String, String, String).self) {
            loaded.append(.profile(InboxProfileRow(userId: user, displayName: name, role: try UserRole(stored: role, in: InboxProfileRow.table))))
        }
        let orderRows = try await client.query("SELECT order_id, state FROM parley_inbox_orders WHERE order_id = ANY(\(orders))", logger: logger)
        for try await (order, state) in orderRows.decode((String, String).self) {
            loaded.append(.orderState(InboxOrderRow(orderId: order, state: try OrderState(stored: state, in: InboxOrderRow.table))))
        }
        let blockRows = try await client.query(
            """
            SELECT b.blocker_id, b.blocked_id, b.active FROM parley_inbox_blocks b
            JOIN unnest(\(pairFirst)::text[], \(pairSecond)::text[]) AS p(blocker_id, blocked_id)
              ON b.blocker_id = p.blocker_id AND b.blocked_id = p.blocked_id
            """, logger: logger)
        for try await (blocker, blocked, active) in blockRows.decode((String, String, Bool).self) {
            loaded.append(.block(InboxBlockRow(blockerId: blocker, blockedId: blocked, active: active)))
        }
        let silencedRows = try await client.query(
            "SELECT user_id, channels FROM parley_inbox_silenced WHERE user_id = ANY(\(silenced))", logger: logger)
        for try await (user, channels) in silencedRows.decode((String, [String]).self) {
            loaded.append(.silenced(InboxSilenceRow(userId: user, channels: Set(try channels.map { try NotificationChannel(stored: $0, in: InboxSilenceRow.table) }))))
        }
        return loaded
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

    func writeColumns(into writer: inout some ColumnWriter) {
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

extension InboxProfileRow: StoredRow {
    static let table = "parley_inbox_profiles"
    static let keyColumns = ["user_id"]
    static let valueColumns = ["display_name", "role"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("user_id", self.userId)
        writer.field("display_name", self.displayName)
        writer.field("role", self.role)
        writer.endObject()
    }
}

extension InboxOrderRow: StoredRow {
    static let table = "parley_inbox_orders"
    static let keyColumns = ["order_id"]
    static let valueColumns = ["state"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("order_id", self.orderId)
        writer.field("state", self.state)
        writer.endObject()
    }
}

extension InboxBlockRow: StoredRow {
    static let table = "parley_inbox_blocks"
    static let keyColumns = ["blocker_id", "blocked_id"]
    static let valueColumns = ["active"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("blocker_id", self.blockerId)
        writer.field("blocked_id", self.blockedId)
        writer.field("active", self.active)
        writer.endObject()
    }
}

extension InboxSilenceRow: StoredRow {
    static let table = "parley_inbox_silenced"
    static let keyColumns = ["user_id"]
    static let valueColumns = ["channels"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("user_id", self.userId)
        writer.field("channels", self.channels.map(\.rawValue).sorted())
        writer.endObject()
    }
}

extension HeldMessageRow: StoredRow {
    static let table = "parley_inbox_held"
    static let keyColumns = ["conversation_id", "message_id"]
    static let valueColumns = ["sender_id", "sent_at", "preview", "automated", "open"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("message_id", self.messageId)
        writer.field("sender_id", self.senderId)
        writer.field("sent_at", self.sentAt)
        writer.field("preview", self.preview)
        writer.field("automated", self.automated)
        writer.field("open", self.open)
        writer.endObject()
    }
}
