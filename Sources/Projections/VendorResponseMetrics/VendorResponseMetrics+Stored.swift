import EventLog
public import Logging
public import PostgresNIO

extension VendorResponseMetrics: ResumableProjection {
    public static let tables = [ConversationResponseRow.table, VendorDayMetricsRow.table, ResponseMessageRow.table, ResponseSpamRow.table]

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await tables.write(changes, picking: { if case .conversation(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .vendorDay(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .message(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .spam(let conversation, let message) = $0 { ResponseSpamRow(conversationId: conversation, messageId: message) } else { nil } })
    }

    /// The SQL counterpart of ``select(_:from:)``: the selected conversations with their messages
    /// and spam flags, then every other conversation of the vendor days they may be counted on.
    public static func load(_ selectors: [RowSelector], client: PostgresClient, logger: Logger) async throws -> [Change] {
        let ids = selectors.compactMap { if case .conversation(let id) = $0 { id } else { nil } }
        var byId = PostgresBindings()
        byId.append(ids)
        var loaded = try await Self.conversations("conversation_id = ANY($1)", byId, client: client, logger: logger)
        let messages = try await client.query(
            """
            SELECT conversation_id, message_id, arrival, from_buyer, (extract(epoch FROM sent_at) * 1000000)::int8, held
            FROM parley_response_messages WHERE conversation_id = ANY(\(ids))
            """, logger: logger)
        for try await (conversation, message, arrival, fromBuyer, sentAt, held) in messages.decode((String, String, Int, Bool, Int64, Bool).self) {
            loaded.append(.message(ResponseMessageRow(
                conversationId: conversation, messageId: message, arrival: arrival, fromBuyer: fromBuyer, sentAt: Timestamp(microseconds: sentAt),
                held: held)))
        }
        let spam = try await client.query(
            "SELECT conversation_id, message_id FROM parley_response_spam WHERE conversation_id = ANY(\(ids))", logger: logger)
        for try await (conversation, message) in spam.decode((String, String).self) {
            loaded.append(.spam(conversationId: conversation, messageId: message))
        }
        let days = Array(Self.days(touchedBy: Set(selectors), selected: loaded))
        guard !days.isEmpty else { return loaded }
        var byDay = PostgresBindings()
        byDay.append(ids)
        byDay.append(days.map(\.vendorId))
        byDay.append(days.map(\.day.daysSince1970))
        loaded += try await Self.conversations(
            """
            conversation_id <> ALL($1) AND (vendor_id, asked_at) IN (
                SELECT c.vendor_id, c.asked_at FROM parley_response_conversations c
                JOIN unnest($2::text[], $3::int8[]) AS d(vendor_id, day) ON c.vendor_id = d.vendor_id
                 AND c.asked_at >= TIMESTAMPTZ 'epoch' + d.day * INTERVAL '1 day'
                 AND c.asked_at < TIMESTAMPTZ 'epoch' + (d.day + 1) * INTERVAL '1 day')
            """, byDay, client: client, logger: logger)
        return loaded
    }

    /// The conversation rows `condition` (over `bindings` as $1, $2, …) picks.
    private static func conversations(
        _ condition: String, _ bindings: PostgresBindings, client: PostgresClient, logger: Logger
    ) async throws -> [Change] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT conversation_id, buyer_id, vendor_id, (extract(epoch FROM asked_at) * 1000000)::int8,
                           (extract(epoch FROM answered_at) * 1000000)::int8
                    FROM parley_response_conversations WHERE \(condition)
                    """, binds: bindings), logger: logger)
        var loaded: [Change] = []
        for try await (conversation, buyer, vendor, asked, answered) in rows.decode((String, String, String, Int64?, Int64?).self) {
            loaded.append(.conversation(ConversationResponseRow(
                conversationId: conversation, buyerId: buyer, vendorId: vendor, askedAt: asked.map { Timestamp(microseconds: $0) },
                answeredAt: answered.map { Timestamp(microseconds: $0) })))
        }
        return loaded
    }
}

extension ConversationResponseRow: StoredRow {
    static let table = "parley_response_conversations"
    static let keyColumns = ["conversation_id"]
    static let valueColumns = ["buyer_id", "vendor_id", "asked_at", "answered_at"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("buyer_id", self.buyerId)
        writer.field("vendor_id", self.vendorId)
        writer.field("asked_at", self.askedAt)
        writer.field("answered_at", self.answeredAt)
        writer.endObject()
    }
}

extension ResponseMessageRow: StoredRow {
    static let table = "parley_response_messages"
    static let keyColumns = ["conversation_id", "message_id"]
    static let valueColumns = ["arrival", "from_buyer", "sent_at", "held"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("message_id", self.messageId)
        writer.field("arrival", self.arrival)
        writer.field("from_buyer", self.fromBuyer)
        writer.field("sent_at", self.sentAt)
        writer.field("held", self.held)
        writer.endObject()
    }
}

extension VendorDayMetricsRow: StoredRow {
    static let table = "parley_vendor_response_daily"
    static let keyColumns = ["vendor_id", "day"]
    static let valueColumns = [
        "conversations", "answered", "answered_within_1h", "answered_within_24h", "median_response_seconds", "mean_response_seconds",
    ]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("vendor_id", self.vendorId)
        writer.field("day", self.day.description)
        writer.field("conversations", self.conversations)
        writer.field("answered", self.answered)
        writer.field("answered_within_1h", self.answeredWithin1h)
        writer.field("answered_within_24h", self.answeredWithin24h)
        writer.field("median_response_seconds", self.medianResponseSeconds)
        writer.field("mean_response_seconds", self.meanResponseSeconds)
        writer.endObject()
    }
}

/// A message counted as spam in a conversation's response metrics (written once, never changed).
struct ResponseSpamRow: StoredRow {
    static let table = "parley_response_spam"
    static let keyColumns = ["conversation_id", "message_id"]
    static let valueColumns: [String] = []

    var conversationId: String
    var messageId: String

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("message_id", self.messageId)
        writer.endObject()
    }
}

/// The stored metrics' read API.
extension VendorResponseMetrics {
    /// A vendor's daily figures from day `from` to day `to` (both `YYYY-MM-DD`, inclusive), in day order.
    public static func days(of vendor: String, from: String, to: String, client: PostgresClient, logger: Logger) async throws -> [VendorDayMetricsRow] {
        let rows = try await client.query(
            """
            SELECT (day - DATE '1970-01-01')::int8, conversations, answered, answered_within_1h, answered_within_24h,
                   median_response_seconds, mean_response_seconds
            FROM parley_vendor_response_daily
            WHERE vendor_id = \(vendor) AND day BETWEEN \(from)::date AND \(to)::date
            ORDER BY day
            """, logger: logger)
        var days: [VendorDayMetricsRow] = []
        for try await (day, conversations, answered, within1h, within24h, median, mean) in rows.decode(
            (Int64, Int, Int, Int, Int, Double?, Double?).self)
        {
            days.append(VendorDayMetricsRow(
                vendorId: vendor, day: UTCDay(daysSince1970: day), conversations: conversations, answered: answered,
                answeredWithin1h: within1h, answeredWithin24h: within24h, medianResponseSeconds: median, meanResponseSeconds: mean))
        }
        return days
    }
}
