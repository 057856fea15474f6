/// Everything staff need to mediate a dispute, per conversation and per order, in log order
/// (see ``TimelineEntry``).
///
/// A conversation's timeline holds its own events (messages with their original text, receipts,
/// flags, redactions, staff views), blocks and unblocks between its two participants, and, when it
/// is about an order, that order's state changes. An order's timeline holds its state changes and
/// the timelines of the conversations about it. Profiles, preferences, quiet hours, listings and
/// templates are on no timeline.
public struct DisputeTimeline: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert the entry; entries are never changed.
        case insert(TimelineEntry)
        /// Insert a conversation's participants and order, when it starts.
        case conversation(TimelineConversationRow)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case entry(TimelineEntry.Key)
            case conversation(String)
        }

        public var key: Key {
            switch self {
            case .insert(let entry): .entry(entry.key)
            case .conversation(let row): .conversation(row.conversationId)
            }
        }
    }

    /// The stored conversation rows an event needs; entries are only ever inserted, never read.
    public enum RowSelector: Hashable, Sendable {
        /// The conversation's row.
        case conversation(String)
        /// The rows of the conversations about the order.
        case order(String)
        /// The rows of the conversations between two users, whichever is the buyer.
        case between(String, String)
    }

    public static let name = "dispute_timeline"

    private struct Conversation: Hashable, Sendable {
        let buyerId: String
        let vendorId: String
        /// The index of its order in `orders`, for conversations about an order.
        let order: Int?
        var entries: [TimelineEvent] = []
    }

    private struct Order: Hashable, Sendable {
        /// Indexes in `conversations` of the conversations about the order.
        var conversations: [Int] = []
        var entries: [TimelineEvent] = []
    }

    /// A timeline by its index in `conversations` or `orders`.
    private enum Place: Hashable {
        case conversation(Int)
        case order(Int)
    }

    private var conversations = IndexedValues<String, Conversation>()
    private var orders = IndexedValues<String, Order>()
    private var conversationsByUser: [String: [Int]] = [:]

    /// No timelines yet.
    public init() {}

    /// Timelines that know these conversations (their entries are not needed to add more).
    public init(restoring rows: [Change]) {
        for case .conversation(let row) in rows where self.conversations.index(of: row.conversationId) == nil { self.add(row) }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        switch event.event {
        case .orderStateChanged(let e): [.order(e.orderId)]
        case .userBlocked(let e): [.between(e.blockerId, e.blockedId)]
        case .userUnblocked(let e): [.between(e.blockerId, e.blockedId)]
        default: Self.conversation(of: event.event).map { [.conversation($0)] } ?? []
        }
    }

    public static func selects(_ selector: RowSelector, _ row: Change) -> Bool {
        guard case .conversation(let row) = row else { return false }
        switch selector {
        case .conversation(let id): return row.conversationId == id
        case .order(let id): return row.orderId == id
        case .between(let a, let b): return Set([row.buyerId, row.vendorId]) == Set([a, b])
        }
    }

    /// A timeline's entries in log order.
    public func entries(of timeline: TimelineEntry.Timeline) -> [TimelineEntry] {
        let recorded: [TimelineEvent]?
        switch timeline {
        case .conversation(let id): recorded = self.conversations[id]?.entries
        case .order(let id): recorded = self.orders[id]?.entries
        }
        return (recorded ?? []).map { TimelineEntry(timeline: timeline, recorded: $0) }
    }

    public var snapshot: [Change] {
        zip(self.conversations.keys, self.conversations.values).flatMap { id, conversation in
            conversation.entries.map { .insert(TimelineEntry(timeline: .conversation(id), recorded: $0)) }
        } + zip(self.orders.keys, self.orders.values).flatMap { id, order in
            order.entries.map { .insert(TimelineEntry(timeline: .order(id), recorded: $0)) }
        } + zip(self.conversations.keys, self.conversations.values).map { id, conversation in
            .conversation(TimelineConversationRow(
                conversationId: id, buyerId: conversation.buyerId, vendorId: conversation.vendorId,
                orderId: conversation.order.map { self.orders.keys[$0] }))
        }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            let index = self.conversations.index(of: started.conversationId) ?? self.start(started, into: &changes)
            self.record(event, on: self.places(ofConversation: index), into: &changes)
        case .messageSent, .messageDelivered, .messageRead, .messageFlagged, .messageModerated, .flagReviewed,
            .messageRedacted, .staffViewedConversation:
            if let conversation = Self.conversation(of: event.event) { self.record(event, onConversation: conversation, into: &changes) }
        case .orderStateChanged(let e):
            let order = self.orders.index(of: e.orderId) ?? self.orders.append(Order(), for: e.orderId)
            self.record(event, on: [.order(order)] + self.orders.values[order].conversations.map { .conversation($0) }, into: &changes)
        case .userBlocked(let e): self.record(event, on: self.places(between: e.blockerId, and: e.blockedId), into: &changes)
        case .userUnblocked(let e): self.record(event, on: self.places(between: e.blockerId, and: e.blockedId), into: &changes)
        case .standingChanged:
            // A step taken because of a message belongs on that conversation's timeline.
            guard let conversation = Self.conversation(of: event.event) else { return }
            self.record(event, onConversation: conversation, into: &changes)
        case .notificationPreferenceChanged, .quietHoursChanged, .listingUpdated, .userProfileUpdated,
            .replyTemplateSaved, .replyTemplateDeleted:
            return
        }
    }

    /// Adds a conversation that starts, and its stored row.
    private mutating func start(_ started: ConversationStarted, into changes: inout [Change]) -> Int {
        let row = TimelineConversationRow(
            conversationId: started.conversationId, buyerId: started.buyerId, vendorId: started.vendorId, orderId: started.subject.orderId)
        changes.append(.conversation(row))
        return self.add(row)
    }

    private mutating func add(_ row: TimelineConversationRow) -> Int {
        let order = row.orderId.map { id in self.orders.index(of: id) ?? self.orders.append(Order(), for: id) }
        let index = self.conversations.append(Conversation(buyerId: row.buyerId, vendorId: row.vendorId, order: order), for: row.conversationId)
        if let order { self.orders.values[order].conversations.append(index) }
        self.conversationsByUser[row.buyerId, default: []].append(index)
        self.conversationsByUser[row.vendorId, default: []].append(index)
        return index
    }

    /// The conversation an event is recorded on by that conversation's id (none for events
    /// placed by order or by participants, or on no timeline).
    private static func conversation(of event: DomainEvent) -> String? {
        switch event {
        case .conversationStarted(let e): e.conversationId
        case .messageSent(let e): e.conversationId
        case .messageDelivered(let e): e.conversationId
        case .messageRead(let e): e.conversationId
        case .messageFlagged(let e): e.conversationId
        case .messageModerated(let e): e.conversationId
        case .flagReviewed(let e): e.conversationId
        case .messageRedacted(let e): e.conversationId
        case .staffViewedConversation(let e): e.conversationId
        case .standingChanged(let e): e.conversationId
        case .orderStateChanged, .userBlocked, .userUnblocked, .notificationPreferenceChanged, .quietHoursChanged,
            .listingUpdated, .userProfileUpdated, .replyTemplateSaved, .replyTemplateDeleted:
            nil
        }
    }

    /// Puts an event of a conversation on its timeline and its order's; unknown conversations have none.
    private mutating func record(_ event: ProjectedEvent, onConversation id: String, into changes: inout [Change]) {
        guard let index = self.conversations.index(of: id) else { return }
        let recorded = Self.recorded(event)
        self.put(recorded, on: .conversation(index), into: &changes)
        if let order = self.conversations.values[index].order { self.put(recorded, on: .order(order), into: &changes) }
    }

    private mutating func record(_ event: ProjectedEvent, on places: [Place], into changes: inout [Change]) {
        guard !places.isEmpty else { return }
        let recorded = Self.recorded(event)
        for place in places { self.put(recorded, on: place, into: &changes) }
    }

    private mutating func put(_ recorded: TimelineEvent, on place: Place, into changes: inout [Change]) {
        switch place {
        case .conversation(let index):
            self.conversations.values[index].entries.append(recorded)
            changes.append(.insert(TimelineEntry(timeline: .conversation(self.conversations.keys[index]), recorded: recorded)))
        case .order(let index):
            self.orders.values[index].entries.append(recorded)
            changes.append(.insert(TimelineEntry(timeline: .order(self.orders.keys[index]), recorded: recorded)))
        }
    }

    /// The event as its timelines share it, with the actor they show.
    private static func recorded(_ event: ProjectedEvent) -> TimelineEvent {
        TimelineEvent(event, actor: Self.actor(of: event.event) ?? event.actor)
    }

    /// The conversation's timeline and, when it is about an order, the order's.
    private func places(ofConversation index: Int) -> [Place] {
        guard let order = self.conversations.values[index].order else { return [.conversation(index)] }
        return [.conversation(index), .order(order)]
    }

    /// The timelines of every conversation between two users, each once.
    private func places(between a: String, and b: String) -> [Place] {
        var places: [Place] = []
        for index in self.conversationsByUser[a, default: []] {
            let conversation = self.conversations.values[index]
            guard Set([conversation.buyerId, conversation.vendorId]) == Set([a, b]) else { continue }
            for place in self.places(ofConversation: index) where !places.contains(place) { places.append(place) }
        }
        return places
    }

    /// The user or staff member an event names as the one who did it.
    private static func actor(of event: DomainEvent) -> String? {
        switch event {
        case .conversationStarted(let e): e.startedBy
        case .messageSent(let e): e.senderId
        case .messageDelivered(let e): e.recipientId
        case .messageRead(let e): e.readerId
        case .messageFlagged(let e): e.flaggedBy
        case .messageModerated(let e): e.senderId
        case .flagReviewed(let e): e.staffId
        case .messageRedacted(let e): e.staffId
        case .staffViewedConversation(let e): e.staffId
        case .userBlocked(let e): e.blockerId
        case .userUnblocked(let e): e.blockerId
        case .standingChanged(let e): e.staffId
        case .orderStateChanged, .notificationPreferenceChanged, .quietHoursChanged, .listingUpdated,
            .userProfileUpdated, .replyTemplateSaved, .replyTemplateDeleted:
            nil
        }
    }
}
