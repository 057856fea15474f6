/// Every user's inbox: one row per conversation they take part in (see ``InboxRow``).
///
/// Listing updates refresh the title and price shown (the conversation's snapshot is replaced);
/// profile updates refresh the counterpart's name and role; order state changes refresh the order
/// state of conversations about that order. Events about unknown conversations change nothing.
public struct Inbox: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace the row.
        case upsert(InboxRow)

        public var key: InboxRow.Key {
            switch self {
            case .upsert(let row): row.key
            }
        }
    }

    public static let name = "inbox"

    private var threads: [String: ConversationThread] = [:]
    private var rows: [InboxRow.Key: InboxRow] = [:]
    private var conversationsByUser: [String: [String]] = [:]
    private var conversationsByOrder: [String: [String]] = [:]
    private var conversationsByListing: [String: [String]] = [:]
    private var profiles: [String: UserProfileUpdated] = [:]
    private var orderStates: [String: OrderState] = [:]
    private var blocks: Set<Block> = []
    /// For each user, the channels on which they turned new-message notifications off.
    private var silencedChannels: [String: Set<NotificationChannel>] = [:]

    private struct Block: Hashable, Sendable {
        let blockerId: String
        let blockedId: String
    }

    /// An empty inbox for every user.
    public init() {}

    /// The row of `owner`'s inbox for a conversation, if any.
    public func row(owner: String, conversation: String) -> InboxRow? {
        self.rows[InboxRow.Key(ownerId: owner, conversationId: conversation)]
    }

    public var snapshot: [Change] { self.rows.values.map(Change.upsert) }

    public mutating func apply(_ event: ProjectedEvent) -> [Change] {
        switch event.event {
        case .conversationStarted(let started): return self.start(started)
        case .messageSent(let message): return self.add(message)
        case .messageRead(let read):
            guard !(self.threads[read.conversationId]?.markRead(by: read.readerId, upTo: read.upToMessageId).isEmpty ?? true)
            else { return [] }
            let unread = self.threads[read.conversationId]!.unread(for: read.readerId)
            return self.update(read.conversationId, owner: read.readerId) { $0.unreadCount = unread }
        case .messageRedacted(let redacted):
            return self.update(redacted.conversationId) { row in
                guard row.lastMessageId == redacted.messageId else { return }
                row.lastMessagePreview = nil
                row.lastMessageRedacted = true
            }
        case .orderStateChanged(let change):
            self.orderStates[change.orderId] = change.state
            return self.conversationsByOrder[change.orderId, default: []].flatMap { id in
                self.update(id) { $0.orderState = change.state }
            }
        case .listingUpdated(let listing):
            return self.conversationsByListing[listing.listingId, default: []].flatMap { id in
                self.update(id) { row in
                    row.subject.title = listing.title
                    row.subject.priceCents = listing.priceCents
                }
            }
        case .userProfileUpdated(let profile):
            self.profiles[profile.userId] = profile
            return self.updateRows(whereCounterpartIs: profile.userId) { row in
                row.counterpartName = profile.displayName
                row.counterpartRole = profile.role
            }
        case .userBlocked(let block): return self.setBlock(block.blockerId, block.blockedId, blocked: true)
        case .userUnblocked(let block): return self.setBlock(block.blockerId, block.blockedId, blocked: false)
        case .notificationPreferenceChanged(let preference):
            guard preference.category == .newMessage else { return [] }
            if preference.enabled {
                self.silencedChannels[preference.userId, default: []].remove(preference.channel)
            } else {
                self.silencedChannels[preference.userId, default: []].insert(preference.channel)
            }
            let muted = self.isMuted(preference.userId)
            return self.conversationsByUser[preference.userId, default: []].flatMap { id in
                self.update(id, owner: preference.userId) { $0.muted = muted }
            }
        case .messageDelivered, .messageFlagged, .quietHoursChanged, .replyTemplateSaved, .replyTemplateDeleted,
            .staffViewedConversation:
            return []
        }
    }

    private mutating func start(_ started: ConversationStarted) -> [Change] {
        let id = started.conversationId
        guard self.threads[id] == nil else { return [] }
        let thread = ConversationThread(started)
        self.threads[id] = thread
        if let order = started.subject.orderId { self.conversationsByOrder[order, default: []].append(id) }
        if let listing = started.subject.listingId { self.conversationsByListing[listing, default: []].append(id) }
        return [(started.buyerId, started.vendorId, UserRole.vendor), (started.vendorId, started.buyerId, UserRole.buyer)]
            .map { owner, counterpart, side in
                self.conversationsByUser[owner, default: []].append(id)
                let profile = self.profiles[counterpart]
                let row = InboxRow(
                    ownerId: owner, conversationId: id, counterpartId: counterpart,
                    counterpartRole: profile?.role ?? side, counterpartName: profile?.displayName,
                    subject: started.subject, orderState: started.subject.orderId.flatMap { self.orderStates[$0] },
                    lastMessagePreview: nil, lastMessageRedacted: false, lastMessageId: nil, lastMessageAt: nil,
                    lastMessageSenderId: nil, lastActivityAt: started.occurredAt, unreadCount: 0, awaitingReply: false,
                    blocked: self.blocks.contains(Block(blockerId: owner, blockedId: counterpart)),
                    blockedByCounterpart: self.blocks.contains(Block(blockerId: counterpart, blockedId: owner)),
                    muted: self.isMuted(owner))
                self.rows[row.key] = row
                return .upsert(row)
            }
    }

    private mutating func add(_ message: MessageSent) -> [Change] {
        guard self.threads[message.conversationId]?.add(message) == true else { return [] }
        let thread = self.threads[message.conversationId]!
        let preview = Self.preview(of: message)
        let fromParticipant = thread.counterpart(of: message.senderId) != nil
        return self.update(message.conversationId) { row in
            row.lastMessagePreview = preview
            row.lastMessageRedacted = false
            row.lastMessageId = message.messageId
            row.lastMessageAt = message.occurredAt
            row.lastMessageSenderId = message.senderId
            row.lastActivityAt = max(row.lastActivityAt, message.occurredAt)
            row.unreadCount = thread.unread(for: row.ownerId)
            if !message.automated && fromParticipant { row.awaitingReply = message.senderId == row.counterpartId }
        }
    }

    private mutating func setBlock(_ blocker: String, _ blocked: String, blocked isBlocked: Bool) -> [Change] {
        let block = Block(blockerId: blocker, blockedId: blocked)
        if isBlocked { self.blocks.insert(block) } else { self.blocks.remove(block) }
        return self.conversationsByUser[blocker, default: []].flatMap { id in
            self.update(id) { row in
                guard row.counterpartId == (row.ownerId == blocker ? blocked : blocker) else { return }
                if row.ownerId == blocker { row.blocked = isBlocked } else { row.blockedByCounterpart = isBlocked }
            }
        }
    }

    private mutating func updateRows(whereCounterpartIs user: String, _ body: (inout InboxRow) -> Void) -> [Change] {
        self.conversationsByUser[user, default: []].flatMap { id in
            self.threads[id]?.counterpart(of: user).map { owner in self.update(id, owner: owner, body) } ?? []
        }
    }

    /// Applies `body` to the conversation's rows (or to `owner`'s row only) and returns the rows it changed.
    private mutating func update(_ conversationId: String, owner: String? = nil, _ body: (inout InboxRow) -> Void) -> [Change] {
        guard let thread = self.threads[conversationId] else { return [] }
        var changes: [Change] = []
        for participant in thread.participants where owner == nil || owner == participant {
            let key = InboxRow.Key(ownerId: participant, conversationId: conversationId)
            guard var row = self.rows[key] else { continue }
            let before = row
            body(&row)
            if row != before {
                self.rows[key] = row
                changes.append(.upsert(row))
            }
        }
        return changes
    }

    private func isMuted(_ user: String) -> Bool {
        self.silencedChannels[user, default: []].count == NotificationChannel.allCases.count
    }

    private static func preview(of message: MessageSent) -> String {
        if message.text.isEmpty, let attachment = message.attachment { return attachment.name }
        if message.text.utf8.count <= InboxRow.previewLength { return message.text }
        return String(message.text.prefix(InboxRow.previewLength))
    }
}
