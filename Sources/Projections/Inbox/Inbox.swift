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

    /// A conversation's thread and its rows: the buyer's, then the vendor's (one row when the
    /// buyer is also the vendor, as the key says).
    private struct Conversation: Hashable, Sendable {
        var thread: ConversationThread
        var rows: [InboxRow]
    }

    private var conversations = IndexedValues<String, Conversation>()
    /// Indexes into `conversations`, by participant, by order and by listing.
    private var conversationsByUser: [String: [Int]] = [:]
    private var conversationsByOrder: [String: [Int]] = [:]
    private var conversationsByListing: [String: [Int]] = [:]
    private var profiles: [String: UserProfileUpdated] = [:]
    private var orderStates: [String: OrderState] = [:]
    private var blocks: Set<Block> = []
    /// Messages held for review, until staff release or redact them: the recipient's row shows
    /// one once it is released.
    private var held: [MessageKey: MessageSent] = [:]
    /// For each user, the channels on which they turned new-message notifications off.
    private var silencedChannels: [String: Set<NotificationChannel>] = [:]

    private struct MessageKey: Hashable, Sendable {
        let conversationId: String
        let messageId: String
    }

    private struct Block: Hashable, Sendable {
        let blockerId: String
        let blockedId: String
    }

    /// An empty inbox for every user.
    public init() {}

    /// The row of `owner`'s inbox for a conversation, if any.
    public func row(owner: String, conversation: String) -> InboxRow? {
        self.conversations[conversation]?.rows.first { $0.ownerId == owner }
    }

    /// Whether `blocker` has blocked `blocked` (and not unblocked them since).
    public func hasBlocked(_ blocker: String, _ blocked: String) -> Bool {
        self.blocks.contains(Block(blockerId: blocker, blockedId: blocked))
    }

    /// Every row of `owner`'s inbox, in the order their conversations started.
    public func rows(owner: String) -> [InboxRow] {
        self.conversationsByUser[owner, default: []].compactMap { index in
            self.conversations.values[index].rows.first { $0.ownerId == owner }
        }
    }

    public var snapshot: [Change] { self.conversations.values.flatMap { $0.rows.map(Change.upsert) } }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started): self.start(started, into: &changes)
        case .messageSent(let message): self.add(message, into: &changes)
        case .messageRead(let read):
            guard let index = self.conversations.index(of: read.conversationId),
                self.conversations.values[index].thread.markRead(by: read.readerId, upTo: read.upToMessageId).fromOthers > 0
            else { return }
            let unread = self.conversations.values[index].thread.unread(for: read.readerId)
            self.update(index, owner: read.readerId, into: &changes) { $0.unreadCount = unread }
        case .messageRedacted(let redacted):
            guard let index = self.conversations.index(of: redacted.conversationId) else { return }
            self.update(index, into: &changes) { row in
                guard row.lastMessageId == redacted.messageId else { return }
                row.lastMessagePreview = nil
                row.lastMessageRedacted = true
            }
        case .orderStateChanged(let change):
            self.orderStates[change.orderId] = change.state
            for index in self.conversationsByOrder[change.orderId, default: []] {
                self.update(index, into: &changes) { $0.orderState = change.state }
            }
        case .listingUpdated(let listing):
            for index in self.conversationsByListing[listing.listingId, default: []] {
                self.update(index, into: &changes) { row in
                    row.subject.title = listing.title
                    row.subject.priceCents = listing.priceCents
                }
            }
        case .userProfileUpdated(let profile):
            self.profiles[profile.userId] = profile
            for index in self.conversationsByUser[profile.userId, default: []] {
                guard let owner = self.conversations.values[index].thread.counterpart(of: profile.userId) else { continue }
                self.update(index, owner: owner, into: &changes) { row in
                    row.counterpartName = profile.displayName
                    row.counterpartRole = profile.role
                }
            }
        case .userBlocked(let block): self.setBlock(block.blockerId, block.blockedId, blocked: true, into: &changes)
        case .userUnblocked(let block): self.setBlock(block.blockerId, block.blockedId, blocked: false, into: &changes)
        case .notificationPreferenceChanged(let preference):
            guard preference.category == .newMessage else { return }
            if preference.enabled {
                self.silencedChannels[preference.userId, default: []].remove(preference.channel)
            } else {
                self.silencedChannels[preference.userId, default: []].insert(preference.channel)
            }
            let muted = self.isMuted(preference.userId)
            for index in self.conversationsByUser[preference.userId, default: []] {
                self.update(index, owner: preference.userId, into: &changes) { $0.muted = muted }
            }
        case .flagReviewed(let review):
            let key = MessageKey(conversationId: review.conversationId, messageId: review.messageId)
            guard let message = self.held.removeValue(forKey: key), review.decision == .dismiss else { return }
            self.release(message, into: &changes)
        case .messageDelivered, .messageFlagged, .messageModerated, .quietHoursChanged, .replyTemplateSaved, .replyTemplateDeleted,
            .staffViewedConversation, .standingChanged:
            return
        }
    }

    private mutating func start(_ started: ConversationStarted, into changes: inout [Change]) {
        let id = started.conversationId
        guard self.conversations.index(of: id) == nil else { return }
        let rows = [(started.buyerId, started.vendorId, UserRole.vendor), (started.vendorId, started.buyerId, UserRole.buyer)]
            .map { owner, counterpart, side in
                let profile = self.profiles[counterpart]
                return InboxRow(
                    ownerId: owner, conversationId: id, counterpartId: counterpart,
                    counterpartRole: profile?.role ?? side, counterpartName: profile?.displayName,
                    subject: started.subject, orderState: started.subject.orderId.flatMap { self.orderStates[$0] },
                    lastMessagePreview: nil, lastMessageRedacted: false, lastMessageId: nil, lastMessageAt: nil,
                    lastMessageSenderId: nil, lastActivityAt: started.occurredAt, unreadCount: 0, awaitingReply: false,
                    blocked: self.blocks.contains(Block(blockerId: owner, blockedId: counterpart)),
                    blockedByCounterpart: self.blocks.contains(Block(blockerId: counterpart, blockedId: owner)),
                    muted: self.isMuted(owner))
            }
        changes.append(contentsOf: rows.map(Change.upsert))
        let index = self.conversations.append(
            Conversation(thread: ConversationThread(started), rows: started.buyerId == started.vendorId ? [rows[1]] : rows), for: id)
        if let order = started.subject.orderId { self.conversationsByOrder[order, default: []].append(index) }
        if let listing = started.subject.listingId { self.conversationsByListing[listing, default: []].append(index) }
        self.conversationsByUser[started.buyerId, default: []].append(index)
        self.conversationsByUser[started.vendorId, default: []].append(index)
    }

    private mutating func add(_ message: MessageSent, into changes: inout [Change]) {
        guard let index = self.conversations.index(of: message.conversationId), self.conversations.values[index].thread.add(message)
        else { return }
        let preview = Self.preview(of: message)
        let fromParticipant = self.conversations.values[index].thread.counterpart(of: message.senderId) != nil
        if message.withheld == .held { self.held[MessageKey(conversationId: message.conversationId, messageId: message.messageId)] = message }
        // Every row changes: its last message id is new to the thread; a withheld message is on
        // the sender's row only.
        for slot in self.conversations.values[index].rows.indices
        where message.withheld == nil || self.conversations.values[index].rows[slot].ownerId == message.senderId {
            let unread = self.conversations.values[index].thread.unread(for: self.conversations.values[index].rows[slot].ownerId)
            Self.show(message, preview: preview, fromParticipant: fromParticipant, unread: unread, in: &self.conversations.values[index].rows[slot])
            changes.append(.upsert(self.conversations.values[index].rows[slot]))
        }
    }

    /// A held message staff released: the recipient's row counts it, and shows it unless a later
    /// message is shown already.
    private mutating func release(_ message: MessageSent, into changes: inout [Change]) {
        guard let index = self.conversations.index(of: message.conversationId), self.conversations.values[index].thread.release(message.messageId),
            let recipient = self.conversations.values[index].thread.counterpart(of: message.senderId), recipient != message.senderId
        else { return }
        let unread = self.conversations.values[index].thread.unread(for: recipient)
        let preview = Self.preview(of: message)
        self.update(index, owner: recipient, into: &changes) { row in
            if let last = row.lastMessageAt, last > message.occurredAt {
                row.unreadCount = unread
            } else {
                Self.show(message, preview: preview, fromParticipant: true, unread: unread, in: &row)
            }
        }
    }

    private static func show(_ message: MessageSent, preview: String, fromParticipant: Bool, unread: Int, in row: inout InboxRow) {
        row.lastMessagePreview = preview
        row.lastMessageRedacted = false
        row.lastMessageId = message.messageId
        row.lastMessageAt = message.occurredAt
        row.lastMessageSenderId = message.senderId
        row.lastActivityAt = max(row.lastActivityAt, message.occurredAt)
        row.unreadCount = unread
        if !message.automated && fromParticipant { row.awaitingReply = message.senderId == row.counterpartId }
    }

    private mutating func setBlock(_ blocker: String, _ blocked: String, blocked isBlocked: Bool, into changes: inout [Change]) {
        let block = Block(blockerId: blocker, blockedId: blocked)
        if isBlocked { self.blocks.insert(block) } else { self.blocks.remove(block) }
        for index in self.conversationsByUser[blocker, default: []] {
            self.update(index, into: &changes) { row in
                guard row.counterpartId == (row.ownerId == blocker ? blocked : blocker) else { return }
                if row.ownerId == blocker { row.blocked = isBlocked } else { row.blockedByCounterpart = isBlocked }
            }
        }
    }

    /// Applies `body` to the conversation's rows (or to `owner`'s row only) and appends the rows it changed.
    private mutating func update(_ index: Int, owner: String? = nil, into changes: inout [Change], _ body: (inout InboxRow) -> Void) {
        for slot in self.conversations.values[index].rows.indices {
            guard owner == nil || owner == self.conversations.values[index].rows[slot].ownerId else { continue }
            let before = self.conversations.values[index].rows[slot]
            body(&self.conversations.values[index].rows[slot])
            if self.conversations.values[index].rows[slot] != before { changes.append(.upsert(self.conversations.values[index].rows[slot])) }
        }
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
