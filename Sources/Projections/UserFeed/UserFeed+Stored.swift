import EventLog
public import Logging
public import PostgresNIO

extension UserFeed: ResumableProjection {
    /// The stored rows an event needs: the inbox's, and the feed's conversation.
    public enum RowSelector: Hashable, Sendable {
        /// Rows of the inbox's tables.
        case inbox(Inbox.RowSelector)
        /// What the feed keeps of a conversation.
        case conversation(String)
        /// A listing's latest details.
        case listing(String)
        /// An order's latest state change.
        case order(String)
    }

    /// The inbox's projector runs the feed: one projector, one checkpoint, for the inbox's tables
    /// and the feed's.
    public static let name = Inbox.name

    /// Live feeds follow the stored updates as the projector commits them.
    public static let announcesCommits = true

    public static let tables =
        Inbox.tables + [FeedConversationRow.table, FeedListingRow.table, FeedOrderRow.table, UpdateRow.table, UpdateFloorRow.table]

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        var selectors = Inbox.rowSelectors(of: event).map(RowSelector.inbox)
        switch event.event {
        case .listingUpdated(let listing): selectors.append(.listing(listing.listingId))
        case .orderStateChanged(let order): selectors.append(.order(order.orderId))
        default: if event.stream.category == "conversation" { selectors.append(.conversation(event.stream.id)) }
        }
        return selectors
    }

    public static func selects(_ selector: RowSelector, _ row: Change) -> Bool {
        switch (selector, row) {
        case (.inbox(let selector), .inbox(let row)): Inbox.selects(selector, row)
        case (.conversation(let id), .conversation(let row)): row.conversationId == id
        case (.listing(let id), .listing(let row)): row.listingId == id
        case (.order(let id), .order(let row)): row.orderId == id
        default: false
        }
    }

    /// The inbox's rows as the inbox selects them (a thread's messages narrowed to those a page
    /// needs), and the conversations selected.
    public static func select(_ selectors: Set<RowSelector>, from rows: [Change]) -> [Change] {
        let inbox = Inbox.select(
            Set(selectors.compactMap { if case .inbox(let selector) = $0 { selector } else { nil } }),
            from: rows.compactMap { if case .inbox(let row) = $0 { row } else { nil } })
        return inbox.map(Change.inbox) + rows.filter { row in
            if case .inbox = row { return false }
            return selectors.contains { Self.selects($0, row) }
        }
    }

    public static func load(_ selectors: [RowSelector], client: PostgresClient, logger: Logger) async throws -> [Change] {
        let inbox = selectors.compactMap { if case .inbox(let selector) = $0 { selector } else { nil } }
        let conversations = selectors.compactMap { if case .conversation(let id) = $0 { id } else { nil } }
        let listings = selectors.compactMap { if case .listing(let id) = $0 { id } else { nil } }
        let orders = selectors.compactMap { if case .order(let id) = $0 { id } else { nil } }
        var loaded = inbox.isEmpty ? [] : try await Inbox.load(inbox, client: client, logger: logger).map(Change.inbox)
        loaded += try await Self.conversations(conversations, client: client, logger: logger).map(Change.conversation)
        loaded += try await Self.events(ListingUpdated.self, in: FeedListingRow.table, keyedBy: "listing_id", listings, client: client, logger: logger)
            .map(Change.listing)
        loaded += try await Self.events(OrderStateChanged.self, in: FeedOrderRow.table, keyedBy: "order_id", orders, client: client, logger: logger)
            .map(Change.order)
        return loaded
    }

    public static func write(_ changes: [Change], to tables: TableWriter) async throws {
        try await Inbox.write(changes.compactMap { if case .inbox(let row) = $0 { row } else { nil } }, to: tables)
        try await tables.write(changes, picking: { if case .conversation(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .listing(let listing) = $0 { FeedListingRow(listing: listing) } else { nil } })
        try await tables.write(changes, picking: { if case .order(let order) = $0 { FeedOrderRow(order: order) } else { nil } })
        try await tables.write(changes, picking: { if case .update(let row) = $0 { row } else { nil } })
        try await tables.write(changes, picking: { if case .floor(let row) = $0 { row } else { nil } })
    }

    /// The events a table of the feed's keeps in its `data` column, for these keys (those it holds).
    static func events<Event: CataloguedEvent>(
        _: Event.Type, in table: String, keyedBy column: String, _ keys: [String], client: PostgresClient, logger: Logger
    ) async throws -> [Event] {
        guard !keys.isEmpty else { return [] }
        let rows = try await client.query("SELECT data::text FROM \(unescaped: table) WHERE \(unescaped: column) = ANY(\(keys))", logger: logger)
        var events: [Event] = []
        for try await data in rows.decode(String.self) {
            do { events.append(try Event(jsonBytes: Array(data.utf8))) } catch {
                throw ProjectorError("\(table) holds an event this build cannot read: \(error)")
            }
        }
        return events
    }

    /// What the feed keeps of these conversations (those it knows).
    static func conversations(_ ids: [String], client: PostgresClient, logger: Logger) async throws -> [FeedConversationRow] {
        guard !ids.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT conversation_id, buyer_id, vendor_id, subject::text, version, redacted, withheld_ids, withheld_senders, held::text
            FROM parley_feed_conversations WHERE conversation_id = ANY(\(ids))
            """, logger: logger)
        var loaded: [FeedConversationRow] = []
        for try await (id, buyer, vendor, subject, version, redacted, withheldIds, withheldSenders, held) in rows.decode(
            (String, String, String, String, Int32, [String], [String], [String], String).self)
        {
            do {
                var conversation = Conversation(
                    buyerId: buyer, vendorId: vendor, subject: try ConversationSubject(jsonBytes: Array(subject.utf8)), version: Int(version),
                    redacted: Set(redacted))
                conversation.withheld = Dictionary(zip(withheldIds, withheldSenders), uniquingKeysWith: { _, last in last })
                loaded.append(FeedConversationRow(conversationId: id, conversation: conversation, held: try [MessageSent](jsonBytes: Array(held.utf8))))
            } catch {
                throw ProjectorError("\(FeedConversationRow.table) holds conversation \(id) in a form this build cannot read: \(error)")
            }
        }
        return loaded
    }
}

extension FeedConversationRow: StoredRow {
    static let table = "parley_feed_conversations"
    static let keyColumns = ["conversation_id"]
    static let valueColumns = ["buyer_id", "vendor_id", "subject", "version", "redacted", "withheld_ids", "withheld_senders", "held"]

    func writeColumns(into writer: inout some ColumnWriter) {
        let withheld = self.conversation.withheld.sorted { $0.key < $1.key }
        writer.beginObject()
        writer.field("conversation_id", self.conversationId)
        writer.field("buyer_id", self.conversation.buyerId)
        writer.field("vendor_id", self.conversation.vendorId)
        writer.field("subject", RawJSONColumn(self.conversation.subject))
        writer.field("version", self.conversation.version)
        writer.field("redacted", self.conversation.redacted.sorted())
        writer.field("withheld_ids", withheld.map(\.key))
        writer.field("withheld_senders", withheld.map(\.value))
        writer.field("held", RawJSONColumn(self.held))
        writer.endObject()
    }
}

/// A listing's latest details, as the feed stores them.
struct FeedListingRow: StoredRow {
    static let table = "parley_feed_listings"
    static let keyColumns = ["listing_id"]
    static let valueColumns = ["vendor_id", "data"]

    let listing: ListingUpdated

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("listing_id", self.listing.listingId)
        writer.field("vendor_id", self.listing.vendorId)
        writer.field("data", RawJSONColumn(self.listing))
        writer.endObject()
    }
}

/// An order's latest state change, as the feed stores it.
struct FeedOrderRow: StoredRow {
    static let table = "parley_feed_orders"
    static let keyColumns = ["order_id"]
    static let valueColumns = ["buyer_id", "vendor_id", "state", "data"]

    let order: OrderStateChanged

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("order_id", self.order.orderId)
        writer.field("buyer_id", self.order.buyerId)
        writer.field("vendor_id", self.order.vendorId)
        writer.field("state", self.order.state)
        writer.field("data", RawJSONColumn(self.order))
        writer.endObject()
    }
}

extension UpdateRow: StoredRow {
    static let table = "parley_feed_updates"
    static let keyColumns = ["user_id", "position"]
    static let valueColumns = ["kind", "shown", "rows"]

    func writeColumns(into writer: inout some ColumnWriter) {
        let rows = self.update.inbox
        writer.beginObject()
        writer.field("user_id", self.update.userId)
        writer.field("position", self.update.position)
        writer.field("kind", self.update.kind.rawValue)
        writer.field("shown", self.shown.map { RawJSONColumn($0) })
        writer.field(
            "rows",
            rows.isEmpty
                ? nil
                : RawJSONColumn { json in
                    json.beginArray()
                    for row in rows { row.writeColumns(into: &json) }
                    json.endArray()
                })
        writer.endObject()
    }
}

extension UpdateFloorRow: StoredRow {
    static let table = "parley_feed_floor"
    static let keyColumns = ["id"]
    static let valueColumns = ["position"]

    func writeColumns(into writer: inout some ColumnWriter) {
        writer.beginObject()
        writer.field("id", true)
        writer.field("position", self.position)
        writer.endObject()
    }
}
