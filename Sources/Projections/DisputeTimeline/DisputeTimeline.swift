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

        public var key: TimelineEntry.Key {
            switch self {
            case .insert(let entry): entry.key
            }
        }
    }

    public static let name = "dispute_timeline"

    private struct Conversation: Hashable, Sendable {
        let buyerId: String
        let vendorId: String
        let orderId: String?
    }

    private var conversations: [String: Conversation] = [:]
    private var conversationsByOrder: [String: [String]] = [:]
    private var conversationsByUser: [String: [String]] = [:]
    private var entries: [TimelineEntry.Timeline: [TimelineEntry]] = [:]

    /// No timelines yet.
    public init() {}

    /// A timeline's entries in log order.
    public func entries(of timeline: TimelineEntry.Timeline) -> [TimelineEntry] {
        self.entries[timeline, default: []]
    }

    public var snapshot: [Change] { self.entries.values.flatMap { $0.map(Change.insert) } }

    public mutating func apply(_ event: ProjectedEvent) -> [Change] {
        let timelines: [TimelineEntry.Timeline]
        switch event.event {
        case .conversationStarted(let started):
            let id = started.conversationId
            if self.conversations[id] == nil {
                self.conversations[id] = Conversation(
                    buyerId: started.buyerId, vendorId: started.vendorId, orderId: started.subject.orderId)
                if let order = started.subject.orderId { self.conversationsByOrder[order, default: []].append(id) }
                self.conversationsByUser[started.buyerId, default: []].append(id)
                self.conversationsByUser[started.vendorId, default: []].append(id)
            }
            timelines = self.timelines(ofConversation: id)
        case .messageSent(let e): timelines = self.timelines(ofConversation: e.conversationId)
        case .messageDelivered(let e): timelines = self.timelines(ofConversation: e.conversationId)
        case .messageRead(let e): timelines = self.timelines(ofConversation: e.conversationId)
        case .messageFlagged(let e): timelines = self.timelines(ofConversation: e.conversationId)
        case .messageRedacted(let e): timelines = self.timelines(ofConversation: e.conversationId)
        case .staffViewedConversation(let e): timelines = self.timelines(ofConversation: e.conversationId)
        case .orderStateChanged(let e):
            timelines = [.order(e.orderId)] + self.conversationsByOrder[e.orderId, default: []].map { .conversation($0) }
        case .userBlocked(let e): timelines = self.timelines(between: e.blockerId, and: e.blockedId)
        case .userUnblocked(let e): timelines = self.timelines(between: e.blockerId, and: e.blockedId)
        case .notificationPreferenceChanged, .quietHoursChanged, .listingUpdated, .userProfileUpdated,
            .replyTemplateSaved, .replyTemplateDeleted:
            timelines = []
        }
        return timelines.map { timeline in
            let entry = TimelineEntry(
                timeline: timeline, position: event.position, stream: event.stream, streamVersion: event.streamVersion,
                occurredAt: event.event.occurredAt, recordedAt: event.recordedAt,
                actor: Self.actor(of: event.event) ?? event.actor, event: event.event)
            self.entries[timeline, default: []].append(entry)
            return .insert(entry)
        }
    }

    /// The conversation's timeline and, when it is about an order, the order's; none for unknown conversations.
    private func timelines(ofConversation id: String) -> [TimelineEntry.Timeline] {
        guard let conversation = self.conversations[id] else { return [] }
        return [.conversation(id)] + (conversation.orderId.map { [.order($0)] } ?? [])
    }

    /// The timelines of every conversation between two users, each once.
    private func timelines(between a: String, and b: String) -> [TimelineEntry.Timeline] {
        var timelines: [TimelineEntry.Timeline] = []
        for id in self.conversationsByUser[a, default: []] {
            guard let conversation = self.conversations[id],
                Set([conversation.buyerId, conversation.vendorId]) == Set([a, b])
            else { continue }
            for timeline in self.timelines(ofConversation: id) where !timelines.contains(timeline) {
                timelines.append(timeline)
            }
        }
        return timelines
    }

    /// The user or staff member an event names as the one who did it.
    private static func actor(of event: DomainEvent) -> String? {
        switch event {
        case .conversationStarted(let e): e.startedBy
        case .messageSent(let e): e.senderId
        case .messageDelivered(let e): e.recipientId
        case .messageRead(let e): e.readerId
        case .messageFlagged(let e): e.flaggedBy
        case .messageRedacted(let e): e.staffId
        case .staffViewedConversation(let e): e.staffId
        case .userBlocked(let e): e.blockerId
        case .userUnblocked(let e): e.blockerId
        case .orderStateChanged, .notificationPreferenceChanged, .quietHoursChanged, .listingUpdated,
            .userProfileUpdated, .replyTemplateSaved, .replyTemplateDeleted:
            nil
        }
    }
}
