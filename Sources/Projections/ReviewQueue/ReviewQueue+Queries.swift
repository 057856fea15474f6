public import EventLog
public import Logging
public import PostgresNIO

/// The review queue's read API over its stored table (`parley_review_queue`), joined with the
/// message search table for the text and sender of messages that were stored as written.
extension ReviewQueue {
    /// One item as staff list it.
    public struct Listing: Sendable, Hashable {
        /// The stored row.
        public var row: ReviewItemRow
        /// Who sent the message (from the row, else from the stored message).
        public var senderId: String?
        /// The message text as written: the row's original text (masked, bounced), else the stored message's.
        public var text: String?
        /// Whether staff redacted the message.
        public var redacted: Bool
    }

    /// Which items a page holds.
    public struct Filter: Sendable, Hashable {
        /// Raised by a detector (any class), or reported by users.
        public enum Source: String, Sendable, Hashable, CaseIterable {
            case automatic
            case user
        }

        /// Where review stands. Default open.
        public var status: ReviewItemRow.Status = .open
        /// Only items a detector found this class in (a `ContactClass` raw value).
        public var contactClass: String?
        /// Only items from this source.
        public var source: Source?

        /// The default filter: open items of every class and source.
        public init(status: ReviewItemRow.Status = .open, contactClass: String? = nil, source: Source? = nil) {
            self.status = status
            self.contactClass = contactClass
            self.source = source
        }
    }

    /// Where a page ends: the last item's time and key, for the next page.
    public struct Position: Sendable, Hashable {
        /// The last item's `lastAt`, in microseconds.
        public var lastAt: Int64
        /// Its conversation.
        public var conversationId: String
        /// Its message.
        public var messageId: String

        /// A position from its parts.
        public init(lastAt: Int64, conversationId: String, messageId: String) {
            self.lastAt = lastAt
            self.conversationId = conversationId
            self.messageId = messageId
        }
    }

    /// Up to `limit` items matching `filter`, most recent activity first, after `position`.
    public static func page(
        _ filter: Filter, after position: Position?, limit: Int, client: PostgresClient, logger: Logger
    ) async throws -> [Listing] {
        let status = filter.status.rawValue
        let contactClass = filter.contactClass.map { "%,\($0),%" } ?? "%"
        let source = filter.source?.rawValue ?? ""
        let after = position ?? Position(lastAt: 0, conversationId: "", messageId: "")
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM parley_review_queue q
            LEFT JOIN parley_message_search s ON s.conversation_id = q.conversation_id AND s.message_id = q.message_id
            WHERE q.status = \(status) AND (',' || q.classes || ',') LIKE \(contactClass)
              AND (\(source) = '' OR (\(source) = 'automatic' AND (q.moderation_action IS NOT NULL OR q.score > 0))
                   OR (\(source) = 'user' AND q.reporters > 0))
              AND (\(position == nil) OR (q.last_at, q.conversation_id, q.message_id)
                   < (TIMESTAMPTZ 'epoch' + \(after.lastAt) * INTERVAL '1 microsecond', \(after.conversationId), \(after.messageId)))
            ORDER BY q.last_at DESC, q.conversation_id DESC, q.message_id DESC LIMIT \(Int64(limit))
            """, logger: logger)
        return try await Self.listings(rows)
    }

    /// The item of one message, if the queue holds it.
    public static func item(conversationId: String, messageId: String, client: PostgresClient, logger: Logger) async throws -> Listing? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM parley_review_queue q
            LEFT JOIN parley_message_search s ON s.conversation_id = q.conversation_id AND s.message_id = q.message_id
            WHERE q.conversation_id = \(conversationId) AND q.message_id = \(messageId)
            """, logger: logger)
        return try await Self.listings(rows).first
    }

    public static func load(_ keys: [ReviewItemRow.Key], client: PostgresClient, logger: Logger) async throws -> [Change] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM parley_review_queue q
            JOIN unnest(\(keys.map(\.conversationId)), \(keys.map(\.messageId))) AS k(conversation_id, message_id)
              ON q.conversation_id = k.conversation_id AND q.message_id = k.message_id
            LEFT JOIN parley_message_search s ON s.conversation_id = q.conversation_id AND s.message_id = q.message_id
            """, logger: logger)
        return try await Self.listings(rows).map { .upsert($0.row) }
    }

    private static let columns = """
        q.conversation_id, q.message_id, q.sender_id, q.status, q.moderation_action, q.classes, q.rule, q.score, q.reporters,
        q.reasons, q.original_text, (extract(epoch FROM q.first_at) * 1000000)::int8, (extract(epoch FROM q.last_at) * 1000000)::int8,
        q.decided_by, q.decision_reason, s.sender_id, s.body, coalesce(s.redacted, false), q.reporter_ids
        """

    private static func listings(_ rows: PostgresRowSequence) async throws -> [Listing] {
        var listings: [Listing] = []
        for try await row in rows {
            let c = try row.decode(
                (String, String, String?, String, String?, String, String?, Double, Int32, String, String?, Int64, Int64, String?, String?,
                 String?, String?, Bool, [String]).self)
            let item = ReviewItemRow(
                conversationId: c.0, messageId: c.1, senderId: c.2, status: ReviewItemRow.Status(rawValue: c.3) ?? .open,
                moderationAction: c.4, classes: c.5, rule: c.6, score: c.7, reporters: Int(c.8), reporterIds: c.18, reasons: c.9, originalText: c.10,
                firstAt: Timestamp(microseconds: c.11), lastAt: Timestamp(microseconds: c.12), decidedBy: c.13, decisionReason: c.14)
            listings.append(Listing(row: item, senderId: c.2 ?? c.15, text: c.10 ?? c.16, redacted: c.17))
        }
        return listings
    }
}
