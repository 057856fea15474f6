import EventLog
import Moderation

/// The live view each user's stream is cut from: every inbox, who takes part in which
/// conversation, and what each event changes for each user (``UserUpdate``).
///
/// Pure like every projection: the same events in the same order give the same updates. Stored, it
/// is the inbox's projection (``StoredProjections`` runs it under the name `inbox`): beside the
/// inbox's rows it keeps its conversations, listings and orders, and every user's updates, so a
/// client that reconnects is caught up from the stored updates (see ``UserFeed/updates(for:after:through:limit:log:logger:)``).
public struct UserFeed: Projection {
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
    /// Messages held for review, by conversation and message id: what the recipient is sent
    /// when staff release one.
    private var held: [String: [String: MessageSent]] = [:]

    /// A feed of an empty log.
    public init() {}

    /// The feed holding exactly these stored rows (each as the change that wrote it): what a
    /// projector restores for a page.
    public init(restoring rows: [Change]) {
        var inboxRows: [Inbox.Change] = []
        for row in rows {
            switch row {
            case .inbox(let change): inboxRows.append(change)
            case .conversation(let row):
                self.conversations[row.conversationId] = row.conversation
                if !row.held.isEmpty { self.held[row.conversationId] = Dictionary(uniqueKeysWithValues: row.held.map { ($0.messageId, $0) }) }
            case .listing(let listing): self.listings[listing.listingId] = listing
            case .order(let order): self.track(order: order)
            case .update, .floor: break
            }
        }
        self.inbox = Inbox(restoring: inboxRows)
    }

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
        var inboxChanges: [Inbox.Change] = []
        self.apply(event, into: &updates, inboxChanges: &inboxChanges)
    }

    /// Applies the next event in log order, appending each user's update to `updates` and the
    /// inbox's row changes to `inboxChanges`.
    private mutating func apply(_ event: ProjectedEvent, into updates: inout [UserUpdate], inboxChanges: inout [Inbox.Change]) {
        self.position = event.position
        let first = inboxChanges.count
        self.inbox.apply(event, into: &inboxChanges)
        var rows: [String: [InboxRow]] = [:]
        for case .upsert(let row) in inboxChanges[first...] { rows[row.ownerId, default: []].append(row) }
        // In one order whatever order the inbox holds its conversations in (a restored page's may differ).
        for user in rows.keys { rows[user]?.sort { $0.conversationId < $1.conversationId } }

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
            self.track(order: change)
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

    private mutating func track(order change: OrderStateChanged) {
        if self.orders.updateValue(change, forKey: change.orderId) == nil {
            self.ordersByParties[Parties(buyerId: change.buyerId, vendorId: change.vendorId), default: []].append(change.orderId)
        }
    }

    private static func distinct(_ first: String, _ second: String) -> [String] {
        first == second ? [first] : [first, second]
    }
}

extension UserFeed {
    /// Applies the next event in log order and appends the rows it changed: the inbox's rows, the
    /// feed's conversation, listing or order, and each user's update.
    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        var updates: [UserUpdate] = []
        var inboxChanges: [Inbox.Change] = []
        self.apply(event, into: &updates, inboxChanges: &inboxChanges)
        changes.append(contentsOf: inboxChanges.map(Change.inbox))
        switch event.event {
        case .orderStateChanged(let change): changes.append(.order(change))
        case .listingUpdated(let listing): changes.append(.listing(listing))
        default:
            if event.stream.category == "conversation", let row = self.conversationRow(event.stream.id) { changes.append(.conversation(row)) }
        }
        // What the log does not hold at the update's position: a released message is shown at its release.
        let logged = Self.visible(event.event)
        for update in updates {
            var shown: MessageSent?
            if case .messageSent(let message)? = update.event, update.event != logged { shown = message }
            changes.append(.update(UpdateRow(update: update, shown: shown)))
        }
    }

    /// Every row the feed holds now, its updates excepted (they are the history of its stream,
    /// not its state): the floor says the stored updates start after ``position``.
    public var snapshot: [Change] {
        self.inbox.snapshot.map(Change.inbox)
            + self.conversations.keys.compactMap { self.conversationRow($0).map(Change.conversation) }
            + self.listings.values.map(Change.listing)
            + self.orders.values.map(Change.order)
            + [.floor(UpdateFloorRow(position: self.position))]
    }

    private func conversationRow(_ id: String) -> FeedConversationRow? {
        guard let conversation = self.conversations[id] else { return nil }
        let held = self.held[id, default: [:]].values.sorted { $0.messageId < $1.messageId }
        return FeedConversationRow(conversationId: id, conversation: conversation, held: held)
    }
}
