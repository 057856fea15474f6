public import EventLog
public import Logging
public import PostgresNIO

/// The stored inbox's read API (`parley_inbox`): a user's conversations, filtered, sorted and
/// paged by keyset on indexes, each page with the log position its rows reflect.
extension Inbox {
    /// Which rows a page holds and in what order.
    public struct Query: Sendable, Hashable {
        /// Rows a page may hold.
        public enum Filter: String, Sendable, Hashable, CaseIterable {
            /// Conversations with unread messages.
            case unread
            /// Conversations whose last message (from a person) came from the counterpart.
            case awaitingReply = "awaiting_reply"
        }

        /// The orders a page may come in.
        public enum Sort: String, Sendable, Hashable, CaseIterable {
            /// Most recent activity first.
            case recent
            /// Conversations with unread messages first, each group most recent first.
            case unreadFirst = "unread_first"
        }

        /// Only these rows, if set.
        public var filter: Filter?
        /// Only conversations about an order in this state, if set.
        public var orderState: OrderState?
        /// Only conversations whose counterpart's name or listing title contains this (any case).
        public var search: String?
        /// The order.
        public var sort: Sort = .recent

        /// All rows, most recent first.
        public init(filter: Filter? = nil, orderState: OrderState? = nil, search: String? = nil, sort: Sort = .recent) {
            self.filter = filter
            self.orderState = orderState
            self.search = search
            self.sort = sort
        }
    }

    /// Where a page ended, in the page's sort order.
    public struct Position: Sendable, Hashable {
        /// 1 when the last row had unread messages (only `unreadFirst` uses it), else 0.
        public var unreadTier: Int
        /// The last row's activity time, in microseconds.
        public var lastActivity: Int64
        /// The last row's conversation.
        public var conversationId: String

        /// A position from its parts.
        public init(unreadTier: Int, lastActivity: Int64, conversationId: String) {
            self.unreadTier = unreadTier
            self.lastActivity = lastActivity
            self.conversationId = conversationId
        }

        /// The position after `row`.
        public init(after row: InboxRow) {
            self.init(unreadTier: row.unreadCount > 0 ? 1 : 0, lastActivity: row.lastActivityAt.microseconds, conversationId: row.conversationId)
        }
    }

    /// One page of `owner`'s inbox: up to `limit` rows after `position`, and the position in the
    /// log they reflect (the projection's checkpoint, read in the same statement).
    public static func page(
        of owner: String, _ query: Query, after position: Position?, limit: Int, client: PostgresClient, logger: Logger
    ) async throws -> (checkpoint: Int64, rows: [InboxRow]) {
        let filter = query.filter?.rawValue ?? ""
        let orderState = query.orderState?.rawValue ?? ""
        let search = query.search.map { "%" + Self.escapeLike($0) + "%" } ?? ""
        let after = position ?? Position(unreadTier: 0, lastActivity: 0, conversationId: "")
        // Each sort has its own index, and the SQL names its order literally so the planner walks
        // that index and stops at the limit.
        let (order, keyset): (String, String) = switch query.sort {
        case .recent:
            ("i.last_activity_at DESC, i.conversation_id DESC", "(i.last_activity_at, i.conversation_id)")
        case .unreadFirst:
            ("i.unread_count > 0 DESC, i.last_activity_at DESC, i.conversation_id DESC",
             "(i.unread_count > 0, i.last_activity_at, i.conversation_id)")
        }
        // A search is left to the planner: a narrow term is answered from the owner's trigram
        // index (parley_inbox_owner_search), a broad one by walking the sort's index with the
        // term as a filter until the page is full.
        var bindings = PostgresBindings()
        bindings.append(search)
        bindings.append(owner)
        bindings.append(filter)
        bindings.append(orderState)
        bindings.append(after.unreadTier == 1)
        bindings.append(after.lastActivity)
        bindings.append(after.conversationId)
        bindings.append(Int64(limit))
        bindings.append(Self.name)
        let sql = """
            WITH checkpoint AS (SELECT position FROM parley_projection_checkpoints WHERE projection = $9)
            SELECT checkpoint.position, r.* FROM checkpoint LEFT JOIN LATERAL (
                SELECT \(Self.columns) FROM parley_inbox i
                WHERE i.owner_id = $2
                  AND ($3 <> 'unread' OR i.unread_count > 0)
                  AND ($3 <> 'awaiting_reply' OR i.awaiting_reply)
                  AND ($4 = '' OR i.order_state = $4)
                  AND ($1 = '' OR i.counterpart_name ILIKE $1 OR i.subject_title ILIKE $1)
                  \(position == nil ? "" : query.sort == .recent
                      ? "AND \(keyset) < (TIMESTAMPTZ 'epoch' + $6 * INTERVAL '1 microsecond', $7)"
                      : "AND \(keyset) < ($5, TIMESTAMPTZ 'epoch' + $6 * INTERVAL '1 microsecond', $7)")
                ORDER BY \(order)
                LIMIT $8
            ) r ON true
            """
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var checkpoint: Int64 = 0
        var page: [InboxRow] = []
        for try await row in rows {
            var cells = row.makeRandomAccess()
            checkpoint = try cells[0].decode(Int64.self)
            guard try cells[1].decode(String?.self) != nil else { continue }
            page.append(try Self.row(&cells, from: 1))
        }
        return (checkpoint, page)
    }

    /// `owner`'s conversations with unread messages and their counts, and the position they reflect.
    public static func unread(of owner: String, client: PostgresClient, logger: Logger) async throws -> (checkpoint: Int64, counts: [String: Int]) {
        let rows = try await client.query(
            """
            WITH checkpoint AS (SELECT position FROM parley_projection_checkpoints WHERE projection = \(Self.name))
            SELECT checkpoint.position, i.conversation_id, i.unread_count FROM checkpoint
            LEFT JOIN parley_inbox i ON i.owner_id = \(owner) AND i.unread_count > 0
            """, logger: logger)
        var checkpoint: Int64 = 0
        var counts: [String: Int] = [:]
        for try await (position, conversation, count) in rows.decode((Int64, String?, Int32?).self) {
            checkpoint = position
            if let conversation, let count { counts[conversation] = Int(count) }
        }
        return (checkpoint, counts)
    }

    /// A conversation staff search found: its parties, subject and last activity.
    public struct StaffSearchHit: Hashable, Sendable {
        /// The conversation.
        public var conversationId: String
        /// The buyer.
        public var buyerId: String
        /// The vendor.
        public var vendorId: String
        /// What it is about.
        public var subject: ConversationSubject.Kind
        /// The listing's or order's title, if any.
        public var title: String?
        /// The order, if it is about one.
        public var orderId: String?
        /// When it last changed.
        public var lastActivityAt: Timestamp
    }

    /// Conversations whose own id, participant (id or name), order id or subject title matches
    /// `text` (ids exactly, names and titles as a case-insensitive substring), most recently
    /// active first: each alternative is answered from its own index (the trigram indexes for
    /// names and titles), not by scanning every inbox row.
    public static func staffSearch(_ text: String, limit: Int, client: PostgresClient, logger: Logger) async throws -> [StaffSearchHit] {
        let pattern = "%" + Self.escapeLike(text) + "%"
        let rows = try await client.query(
            """
            WITH hits AS (
                SELECT conversation_id FROM parley_inbox WHERE conversation_id = \(text)
                UNION SELECT conversation_id FROM parley_inbox WHERE owner_id = \(text)
                UNION SELECT conversation_id FROM parley_inbox WHERE counterpart_id = \(text)
                UNION SELECT conversation_id FROM parley_inbox WHERE order_id = \(text)
                UNION SELECT conversation_id FROM parley_inbox WHERE subject_title ILIKE \(pattern)
                UNION SELECT conversation_id FROM parley_inbox WHERE counterpart_name ILIKE \(pattern)
            )
            SELECT b.conversation_id, b.owner_id, b.counterpart_id, b.subject_kind, b.subject_title, b.order_id,
                   (extract(epoch FROM b.last_activity_at) * 1000000)::int8
            FROM parley_inbox b JOIN hits USING (conversation_id)
            WHERE b.counterpart_role = 'vendor'
            ORDER BY b.last_activity_at DESC LIMIT \(limit)
            """, logger: logger)
        var hits: [StaffSearchHit] = []
        for try await (id, buyer, vendor, kind, title, order, activity) in rows.decode((String, String, String, String, String?, String?, Int64).self) {
            hits.append(StaffSearchHit(
                conversationId: id, buyerId: buyer, vendorId: vendor,
                subject: try ConversationSubject.Kind(stored: kind, in: InboxRow.table), title: title, orderId: order,
                lastActivityAt: Timestamp(microseconds: activity)))
        }
        return hits
    }

    /// Whether the conversation holds the message, and the position that answer reflects (a
    /// message appended after it may be missing yet).
    public static func holds(
        message messageId: String, in conversationId: String, client: PostgresClient, logger: Logger
    ) async throws -> (checkpoint: Int64, holds: Bool) {
        let rows = try await client.query(
            """
            SELECT c.position, EXISTS (
                SELECT 1 FROM parley_inbox_thread_messages m WHERE m.conversation_id = \(conversationId) AND m.message_id = \(messageId))
            FROM parley_projection_checkpoints c WHERE c.projection = \(Self.name)
            """, logger: logger)
        for try await (position, holds) in rows.decode((Int64, Bool).self) { return (position, holds) }
        throw ProjectorError("projection \(Self.name) has no checkpoint row; run the migrations")
    }

    /// How many conversations `owner`'s inbox holds.
    public static func rowCount(owner: String, client: PostgresClient, logger: Logger) async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM parley_inbox WHERE owner_id = \(owner)", logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    static let columns = """
        i.owner_id, i.conversation_id, i.counterpart_id, i.counterpart_role, i.counterpart_name, i.subject_kind, i.listing_id,
        i.order_id, i.subject_title, i.price_cents, i.order_state, i.last_message_preview, i.last_message_redacted,
        i.last_message_id, (extract(epoch FROM i.last_message_at) * 1000000)::int8, i.last_message_sender_id,
        (extract(epoch FROM i.last_activity_at) * 1000000)::int8, i.unread_count, i.awaiting_reply, i.blocked,
        i.blocked_by_counterpart, i.muted
        """

    static func row(_ cells: inout PostgresRandomAccessRow, from start: Int) throws -> InboxRow {
        func cell<T: PostgresDecodable>(_ offset: Int, _: T.Type) throws -> T { try cells[start + offset].decode(T.self) }
        let role = try cell(3, String.self), kind = try cell(5, String.self)
        guard let counterpartRole = UserRole(rawValue: role), let subjectKind = ConversationSubject.Kind(rawValue: kind) else {
            throw ProjectorError("parley_inbox holds a row with role \(role) and subject kind \(kind) this build does not know")
        }
        return InboxRow(
            ownerId: try cell(0, String.self), conversationId: try cell(1, String.self), counterpartId: try cell(2, String.self),
            counterpartRole: counterpartRole, counterpartName: try cell(4, String?.self),
            subject: ConversationSubject(
                kind: subjectKind, listingId: try cell(6, String?.self), orderId: try cell(7, String?.self), title: try cell(8, String?.self),
                priceCents: try cell(9, Int64?.self)),
            orderState: try cell(10, String?.self).flatMap(OrderState.init(rawValue:)), lastMessagePreview: try cell(11, String?.self),
            lastMessageRedacted: try cell(12, Bool.self), lastMessageId: try cell(13, String?.self),
            lastMessageAt: try cell(14, Int64?.self).map(Timestamp.init(microseconds:)), lastMessageSenderId: try cell(15, String?.self),
            lastActivityAt: Timestamp(microseconds: try cell(16, Int64.self)), unreadCount: Int(try cell(17, Int32.self)),
            awaitingReply: try cell(18, Bool.self), blocked: try cell(19, Bool.self), blockedByCounterpart: try cell(20, Bool.self),
            muted: try cell(21, Bool.self))
    }

    /// `text` with LIKE's wildcards and escape character escaped.
    private static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
