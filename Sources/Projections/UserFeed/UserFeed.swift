import EventLog
import Moderation

/// The live view each user's stream is cut from: every inbox, who takes part in which
/// conversation, and what each event changes for each user (``UserUpdate``).
///
/// Pure like every projection: the same events in the same order give the same updates, so a
/// server that replays the log at start reproduces exactly the updates it streamed before.
public struct UserFeed: Sendable {
    /// A conversation as the feed keeps it.
    public struct Conversation: Hashable, Sendable {
        /// The buyer.
        public let buyerId: String
        /// The vendor.
        public let vendorId: String
        /// What it is about.
        public let subject: ConversationSubject
        /// The version of its stream after the last event applied.
        public internal(set) var version: Int
        /// Messages staff redacted.
        public internal(set) var redacted: Set<String>
        /// Messages kept from their recipient now (held for review and not yet released, or
        /// shadow-restricted), by id, with their senders.
        public internal(set) var withheld: [String: String] = [:]

        /// Whether `user` may not be told of the message: withheld, and not theirs.
        public func isWithheld(_ messageId: String, from user: String) -> Bool {
            self.withheld[messageId].map { $0 != user } ?? false
        }

        /// Whether `user` takes part.
        public func hasParticipant(_ user: String) -> Bool { user == self.buyerId || user == self.vendorId }
    }

    /// Every user's inbox, as of ``position``.
    public private(set) var inbox = Inbox()
    /// The position of the last event applied.
    public private(set) var position: Int64 = 0
    private var conversations: [String: Conversation] = [:]
    private var listings: [String: ListingUpdated] = [:]
    private var orders: [String: OrderStateChanged] = [:]
    /// Order ids by buyer and vendor.
    private var ordersByParties: [Parties: [String]] = [:]
    private var inboxChanges: [Inbox.Change] = []
    /// Messages held for review, by conversation and message id: what the recipient is sent
    /// when staff release one.
    private var held: [String: [String: MessageSent]] = [:]

    /// A feed of an empty log.
    public init() {}

    /// The conversation with this id, if it started.
    public func conversation(_ id: String) -> Conversation? { self.conversations[id] }

    /// The latest details of a listing, if the platform told them.
    public func listing(_ id: String) -> ListingUpdated? { self.listings[id] }

    /// The latest state change of an order, if the platform told one.
    public func order(_ id: String) -> OrderStateChanged? { self.orders[id] }

    /// Whether `buyer` has an order from `vendor` that was not cancelled: the context in which
    /// moderation lets delivery arrangements through.
    public func hasOrder(buyer: String, vendor: String) -> Bool {
        self.ordersByParties[Parties(buyerId: buyer, vendorId: vendor), default: []].contains { self.orders[$0]?.state != .cancelled }
    }

    /// Whether `buyer` has an order from `vendor` still under way (neither completed nor
    /// cancelled): while one is, a block routes their conversation to staff instead of cutting it.
    public func hasActiveOrder(buyer: String, vendor: String) -> Bool {
        self.ordersByParties[Parties(buyerId: buyer, vendorId: vendor), default: []].contains { id in
            self.orders[id].map { $0.state != .cancelled && $0.state != .completed } ?? false
        }
    }

    private struct Parties: Hashable, Sendable {
        let buyerId: String
        let vendorId: String
    }

    /// Applies the next event in log order and appends each user's update to `updates`.
    public mutating func apply(_ event: ProjectedEvent, into updates: inout [UserUpdate]) {
        self.position = event.position
        self.inboxChanges.removeAll(keepingCapacity: true)
        self.inbox.apply(event, into: &self.inboxChanges)
        var rows: [String: [InboxRow]] = [:]
        for case .upsert(let row) in self.inboxChanges { rows[row.ownerId, default: []].append(row) }

        func update(_ user: String, _ kind: UserUpdate.Kind, showing shown: DomainEvent?) {
            let visible = kind == .hidden || kind == .inboxChanged ? nil : Self.visible(shown ?? event.event)
            updates.append(
                UserUpdate(
                    userId: user, position: event.position, stream: event.stream, streamVersion: event.streamVersion,
                    recordedAt: event.recordedAt, kind: kind, event: visible, inbox: rows.removeValue(forKey: user) ?? []))
        }

        for told in self.track(event) { update(told.user, told.kind, showing: told.shown) }
        // Whoever else saw an inbox row change (a counterpart's profile, a block, a listing).
        for user in rows.keys.sorted() { update(user, .inboxChanged, showing: nil) }
    }

    /// Who is told of an event directly, as what, and (when it is not the event itself) what
    /// they are shown: a released message for the release.
    private typealias Told = (user: String, kind: UserUpdate.Kind, shown: DomainEvent?)

    /// An event as a participant may be shown it: a shadow-restricted message without the mark
    /// (its sender sees it as sent).
    public static func visible(_ event: DomainEvent) -> DomainEvent {
        guard case .messageSent(var message) = event, message.withheld == .shadow else { return event }
        message.withheld = nil
        return .messageSent(message)
    }

    /// Records what the feed keeps of `event` and returns who is told of it directly, and as what.
    private mutating func track(_ event: ProjectedEvent) -> [Told] {
        let domain = event.event
        switch domain {
        case .conversationStarted(let started):
            guard self.conversations[started.conversationId] == nil else { return [] }
            self.conversations[started.conversationId] = Conversation(
                buyerId: started.buyerId, vendorId: started.vendorId, subject: started.subject,
                version: event.streamVersion, redacted: [])
        case .orderStateChanged(let change):
            if self.orders.updateValue(change, forKey: change.orderId) == nil {
                self.ordersByParties[Parties(buyerId: change.buyerId, vendorId: change.vendorId), default: []].append(change.orderId)
            }
            return Self.distinct(change.buyerId, change.vendorId).map { ($0, .orderState, nil) }
        case .listingUpdated(let listing):
            self.listings[listing.listingId] = listing
            return [(listing.vendorId, .userChanged, nil)]
        case .userBlocked(let block): return [(block.blockerId, .userChanged, nil)]
        case .userUnblocked(let block): return [(block.blockerId, .userChanged, nil)]
        case .notificationPreferenceChanged(let change): return [(change.userId, .userChanged, nil)]
        case .quietHoursChanged(let change): return [(change.userId, .userChanged, nil)]
        case .userProfileUpdated(let profile): return [(profile.userId, .userChanged, nil)]
        case .replyTemplateSaved(let template): return [(template.vendorId, .userChanged, nil)]
        case .replyTemplateDeleted(let template): return [(template.vendorId, .userChanged, nil)]
        case .standingChanged(let change):
            // A shadow restriction works only while its subject does not know of it.
            return change.standing.isShownToUser ? [(change.userId, .userChanged, nil)] : []
        case .messageSent, .messageDelivered, .messageRead, .messageFlagged, .messageModerated, .flagReviewed,
            .messageRedacted, .staffViewedConversation:
            break
        }
        // An event of a conversation's stream: each participant is told, as what they may see.
        guard let id = event.stream.category == "conversation" ? event.stream.id : nil, var conversation = self.conversations[id]
        else { return [] }
        conversation.version = event.streamVersion
        var released: MessageSent?
        switch domain {
        case .messageRedacted(let redaction):
            conversation.redacted.insert(redaction.messageId)
            self.held[id]?[redaction.messageId] = nil
        case .messageSent(let message) where message.withheld != nil:
            conversation.withheld[message.messageId] = message.senderId
            if message.withheld == .held { self.held[id, default: [:]][message.messageId] = message }
        case .flagReviewed(let review) where review.decision == .dismiss:
            released = self.held[id]?.removeValue(forKey: review.messageId)
            if released != nil { conversation.withheld[review.messageId] = nil }
        default:
            break
        }
        self.conversations[id] = conversation
        return Self.distinct(conversation.buyerId, conversation.vendorId).map { user in
            if var released, user != released.senderId {
                released.withheld = nil
                return (user, .messageAdded, .messageSent(released))
            }
            // Staff redacting a message its recipient never got is none of the recipient's business.
            if case .messageRedacted(let redaction) = domain, conversation.isWithheld(redaction.messageId, from: user) {
                return (user, .hidden, nil)
            }
            return (user, Self.kind(of: domain, for: user), nil)
        }
    }

    /// What a participant is told of an event of their conversation's stream (`hidden` for what
    /// they may not see, a withheld message included): the rule the stream and the history both
    /// follow (the history shows a held message staff released since where it was sent).
    public static func kind(of event: DomainEvent, for user: String) -> UserUpdate.Kind {
        switch event {
        case .conversationStarted: .conversationStarted
        case .messageSent(let message): message.withheld == nil || message.senderId == user ? .messageAdded : .hidden
        case .messageDelivered: .delivered
        case .messageRead: .read
        case .messageRedacted: .messageRedacted
        case .messageFlagged(let flag): flag.flaggedBy == user ? .messageFlagged : .hidden
        case .messageModerated(let decision): decision.senderId == user ? .messageModerated : .hidden
        case .flagReviewed(let review): review.senderId == user && review.decision.isShownToSender ? .messageReviewed : .hidden
        default: .hidden
        }
    }

    private static func distinct(_ first: String, _ second: String) -> [String] {
        first == second ? [first] : [first, second]
    }
}
