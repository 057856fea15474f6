import EventLog

/// Every user's inbox: one row per conversation they take part in (see ``InboxRow``).
///
/// Listing updates refresh the title and price shown (the conversation's snapshot is replaced);
/// profile updates refresh the counterpart's name and role; order state changes refresh the order
/// state of conversations about that order. Events about unknown conversations change nothing.
public struct Inbox: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace an inbox row.
        case upsert(InboxRow)
        /// Insert or replace a conversation's thread (what unread counts are kept from).
        case thread(ThreadRow)
        /// Insert or replace a message of a conversation's thread.
        case threadMessage(ThreadMessageRow)
        /// Insert or replace a user's profile as counterparts see it.
        case profile(InboxProfileRow)
        /// Insert or replace an order's latest state.
        case orderState(InboxOrderRow)
        /// Insert or replace whether one user blocks another.
        case block(InboxBlockRow)
        /// Insert or replace the channels a user silenced.
        case silenced(InboxSilenceRow)
        /// Insert or replace a message held for review.
        case held(HeldMessageRow)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case row(InboxRow.Key)
            case thread(conversationId: String)
            case threadMessage(ThreadMessageRow.Key)
            case profile(userId: String)
            case orderState(orderId: String)
            case block(InboxBlockRow.Key)
            case silenced(userId: String)
            case held(HeldMessageRow.Key)
        }

        public var key: Key {
            switch self {
            case .upsert(let row): .row(row.key)
            case .thread(let row): .thread(conversationId: row.conversationId)
            case .threadMessage(let row): .threadMessage(row.key)
            case .profile(let row): .profile(userId: row.userId)
            case .orderState(let row): .orderState(orderId: row.orderId)
            case .block(let row): .block(row.key)
            case .silenced(let row): .silenced(userId: row.userId)
            case .held(let row): .held(row.key)
            }
        }
    }

    /// The stored rows an event needs.
    public enum RowSelector: Hashable, Sendable {
        /// The conversation's rows.
        case conversation(String)
        /// A conversation's thread with the messages it needs.
        case thread(ThreadSelector)
        /// A held message.
        case held(MessageKey)
        /// The rows of the conversations about the order, and the order's state.
        case order(String)
        /// The rows of the conversations about the listing.
        case listing(String)
        /// The rows whose counterpart the user is, and the user's profile.
        case counterpart(String)
        /// The user's own rows and silenced channels.
        case owner(String)
        /// The rows of two users' conversations with each other, and the blocks between them.
        case pair(String, String)
        /// The user's profile.
        case profile(String)
        /// The user's silenced channels.
        case silenced(String)
    }

    public static let name = "inbox"

    /// A conversation's thread and its rows: the buyer's, then the vendor's (one row when the
    /// buyer is also the vendor, as the key says). Restored from stored rows for a page that only
    /// updates rows (an order's state, a profile), a conversation may hold some of its rows and no thread.
    private struct Conversation: Hashable, Sendable {
        var thread: ConversationThread?
        var rows: [InboxRow]
    }

    private var conversations = IndexedValues<String, Conversation>()
    /// Indexes into `conversations`, by participant, by order and by listing.
    private var conversationsByUser: [String: [Int]] = [:]
    private var conversationsByOrder: [String: [Int]] = [:]
    private var conversationsByListing: [String: [Int]] = [:]
    private var profiles: [String: InboxProfileRow] = [:]
    private var orderStates: [String: OrderState] = [:]
    /// Every block ever made, and whether it holds now.
    private var blocks: [InboxBlockRow.Key: Bool] = [:]
    /// Messages held for review, open until staff review them: the recipient's row shows one once
    /// it is released.
    private var held: [HeldMessageRow.Key: HeldMessageRow] = [:]
    /// For each user, the channels on which they turned new-message notifications off.
    private var silencedChannels: [String: Set<NotificationChannel>] = [:]

    /// An empty inbox for every user.
    public init() {}

    /// The inbox holding exactly these stored rows: each conversation with the rows given of it
    /// and its thread when given, and what new rows are made of.
    public init(restoring rows: [Change]) {
        var inboxRows: [String: [InboxRow]] = [:]
        var threads: [String: ThreadRow] = [:]
        var messages: [String: [ThreadMessageRow]] = [:]
        var order: [String] = []
        for row in rows {
            switch row {
            case .upsert(let row):
                if inboxRows[row.conversationId] == nil { order.append(row.conversationId) }
                inboxRows[row.conversationId, default: []].append(row)
            case .thread(let row): threads[row.conversationId] = row
            case .threadMessage(let row): messages[row.conversationId, default: []].append(row)
            case .profile(let row): self.profiles[row.userId] = row
            case .orderState(let row): self.orderStates[row.orderId] = row.state
            case .block(let row): self.blocks[row.key] = row.active
            case .silenced(let row): self.silencedChannels[row.userId] = row.channels
            case .held(let row): self.held[row.key] = row
            }
        }
        for id in order where self.conversations.index(of: id) == nil {
            let thread = threads[id].map { ConversationThread(restoring: $0, messages: messages[id] ?? []) }
            // The buyer's row first, as a conversation starts them.
            var conversationRows: [InboxRow] = []
            for row in inboxRows[id] ?? [] where !conversationRows.contains(where: { $0.key == row.key }) { conversationRows.append(row) }
            if let buyer = thread?.buyerId { conversationRows.sort { $0.ownerId == buyer && $1.ownerId != buyer } }
            self.insert(Conversation(thread: thread, rows: conversationRows), for: id)
        }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        switch event.event {
        case .conversationStarted(let e):
            [.conversation(e.conversationId), .thread(.thread(e.conversationId)), .profile(e.buyerId), .profile(e.vendorId),
             .pair(e.buyerId, e.vendorId), .silenced(e.buyerId), .silenced(e.vendorId)] + (e.subject.orderId.map { [.order($0)] } ?? [])
        case .messageSent(let e):
            [.conversation(e.conversationId), .thread(.message(MessageKey(conversationId: e.conversationId, messageId: e.messageId)))]
        case .messageRead(let e):
            [.conversation(e.conversationId),
             .thread(.watermark(.init(conversationId: e.conversationId, userId: e.readerId, upTo: e.upToMessageId, mark: .read)))]
        case .messageRedacted(let e): [.conversation(e.conversationId)]
        case .flagReviewed(let e):
            [.conversation(e.conversationId), .held(MessageKey(conversationId: e.conversationId, messageId: e.messageId)),
             .thread(.message(MessageKey(conversationId: e.conversationId, messageId: e.messageId)))]
        case .orderStateChanged(let e): [.order(e.orderId)]
        case .listingUpdated(let e): [.listing(e.listingId)]
        case .userProfileUpdated(let e): [.counterpart(e.userId)]
        case .userBlocked(let e): [.pair(e.blockerId, e.blockedId)]
        case .userUnblocked(let e): [.pair(e.blockerId, e.blockedId)]
        case .notificationPreferenceChanged(let e) where e.category == .newMessage: [.owner(e.userId)]
        default: []
        }
    }

    public static func selects(_ selector: RowSelector, _ row: Change) -> Bool {
        switch (selector, row) {
        case (.conversation(let id), .upsert(let row)): row.conversationId == id
        case (.thread(let thread), .thread(let row)): row.conversationId == thread.conversationId
        case (.thread(let thread), .threadMessage(let row)): row.conversationId == thread.conversationId
        case (.held(let key), .held(let row)): row.key == key
        case (.order(let id), .upsert(let row)): row.subject.orderId == id
        case (.order(let id), .orderState(let row)): row.orderId == id
        case (.listing(let id), .upsert(let row)): row.subject.listingId == id
        case (.counterpart(let user), .upsert(let row)): row.counterpartId == user
        case (.counterpart(let user), .profile(let row)), (.profile(let user), .profile(let row)): row.userId == user
        case (.owner(let user), .upsert(let row)): row.ownerId == user
        case (.owner(let user), .silenced(let row)), (.silenced(let user), .silenced(let row)): row.userId == user
        case (.pair(let a, let b), .upsert(let row)):
            (row.ownerId == a && row.counterpartId == b) || (row.ownerId == b && row.counterpartId == a)
        case (.pair(let a, let b), .block(let row)):
            (row.blockerId == a && row.blockedId == b) || (row.blockerId == b && row.blockedId == a)
        default: false
        }
    }

    /// The rows `selectors` select, with a thread's messages narrowed to those its page needs
    /// (``ThreadSelector``).
    public static func select(_ selectors: Set<RowSelector>, from rows: [Change]) -> [Change] {
        let messages = ThreadSelector.select(Set(selectors.compactMap { if case .thread(let thread) = $0 { thread } else { nil } }), from: rows)
        return rows.filter { row in
            if case .threadMessage(let message) = row { return messages.contains(message.key) }
            return selectors.contains { Self.selects($0, row) }
        }
    }

    /// The row of `owner`'s inbox for a conversation, if any.
    public func row(owner: String, conversation: String) -> InboxRow? {
        self.conversations[conversation]?.rows.first { $0.ownerId == owner }
    }

    /// Whether `blocker` has blocked `blocked` (and not unblocked them since).
    public func hasBlocked(_ blocker: String, _ blocked: String) -> Bool {
        self.blocks[InboxBlockRow.Key(blockerId: blocker, blockedId: blocked)] == true
    }

    /// Every row of `owner`'s inbox, in the order their conversations started.
    public func rows(owner: String) -> [InboxRow] {
        self.conversationsByUser[owner, default: []].compactMap { index in
            self.conversations.values[index].rows.first { $0.ownerId == owner }
        }
    }

    public var snapshot: [Change] {
        var rows: [Change] = []
        for (id, conversation) in zip(self.conversations.keys, self.conversations.values) {
            rows += conversation.rows.map(Change.upsert)
            if let (thread, messages) = conversation.thread?.rows(id) { rows += [.thread(thread)] + messages.map(Change.threadMessage) }
        }
        rows += self.profiles.values.map(Change.profile)
        rows += self.orderStates.map { .orderState(InboxOrderRow(orderId: $0.key, state: $0.value)) }
        rows += self.blocks.map { .block(InboxBlockRow(blockerId: $0.key.blockerId, blockedId: $0.key.blockedId, active: $0.value)) }
        rows += self.silencedChannels.map { .silenced(InboxSilenceRow(userId: $0.key, channels: $0.value)) }
        rows += self.held.values.map(Change.held)
        return rows
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started): self.start(started, into: &changes)
        case .messageSent(let message): self.add(message, into: &changes)
        case .messageRead(let read):
            guard let index = self.conversations.index(of: read.conversationId), var thread = self.conversations.values[index].thread else { return }
            let covered = thread.markRead(by: read.readerId, upTo: read.upToMessageId)
            guard !covered.range.isEmpty else { return }
            self.conversations.values[index].thread = thread
            changes.append(.thread(thread.row(read.conversationId)))
            guard covered.fromOthers > 0 else { return }
            let unread = thread.unread(for: read.readerId)
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
            changes.append(.orderState(InboxOrderRow(orderId: change.orderId, state: change.state)))
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
            let shown = InboxProfileRow(userId: profile.userId, displayName: profile.displayName, role: profile.role)
            self.profiles[profile.userId] = shown
            changes.append(.profile(shown))
            for index in self.conversationsByUser[profile.userId, default: []] {
                self.update(index, into: &changes) { row in
                    guard row.counterpartId == profile.userId else { return }
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
            changes.append(.silenced(InboxSilenceRow(userId: preference.userId, channels: self.silencedChannels[preference.userId] ?? [])))
            let muted = self.isMuted(preference.userId)
            for index in self.conversationsByUser[preference.userId, default: []] {
                self.update(index, owner: preference.userId, into: &changes) { $0.muted = muted }
            }
        case .flagReviewed(let review):
            let key = HeldMessageRow.Key(conversationId: review.conversationId, messageId: review.messageId)
            guard var message = self.held[key], message.open else { return }
            message.open = false
            self.held[key] = message
            changes.append(.held(message))
            guard review.decision == .dismiss else { return }
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
                    blocked: self.hasBlocked(owner, counterpart), blockedByCounterpart: self.hasBlocked(counterpart, owner),
                    muted: self.isMuted(owner))
            }
        changes.append(contentsOf: rows.map(Change.upsert))
        let thread = ConversationThread(started)
        changes.append(.thread(thread.row(id)))
        self.insert(Conversation(thread: thread, rows: started.buyerId == started.vendorId ? [rows[1]] : rows), for: id)
    }

    /// Adds a conversation and indexes it by its participants, order and listing.
    private mutating func insert(_ conversation: Conversation, for id: String) {
        let index = self.conversations.append(conversation, for: id)
        guard let row = conversation.rows.first else { return }
        if let order = row.subject.orderId { self.conversationsByOrder[order, default: []].append(index) }
        if let listing = row.subject.listingId { self.conversationsByListing[listing, default: []].append(index) }
        for user in Set(conversation.rows.flatMap { [$0.ownerId, $0.counterpartId] }).sorted() {
            self.conversationsByUser[user, default: []].append(index)
        }
    }

    private mutating func add(_ message: MessageSent, into changes: inout [Change]) {
        // The thread is changed where it lies: a copy taken out to change would copy its messages.
        guard let index = self.conversations.index(of: message.conversationId), self.conversations.values[index].thread?.add(message) == true,
            let thread = self.conversations.values[index].thread
        else { return }
        changes.append(.thread(thread.row(message.conversationId)))
        changes.append(.threadMessage(thread.newestMessageRow(message.conversationId)))
        let preview = Self.preview(of: message)
        let fromParticipant = thread.counterpart(of: message.senderId) != nil
        if message.withheld == .held {
            let held = HeldMessageRow(
                conversationId: message.conversationId, messageId: message.messageId, senderId: message.senderId, sentAt: message.occurredAt,
                preview: preview, automated: message.automated, open: true)
            self.held[held.key] = held
            changes.append(.held(held))
        }
        // Every row changes: its last message id is new to the thread; a withheld message is on
        // the sender's row only.
        let shown = Shown(messageId: message.messageId, senderId: message.senderId, sentAt: message.occurredAt, preview: preview, automated: message.automated)
        for slot in self.conversations.values[index].rows.indices
        where message.withheld == nil || self.conversations.values[index].rows[slot].ownerId == message.senderId {
            let unread = thread.unread(for: self.conversations.values[index].rows[slot].ownerId)
            Self.show(shown, fromParticipant: fromParticipant, unread: unread, in: &self.conversations.values[index].rows[slot])
            changes.append(.upsert(self.conversations.values[index].rows[slot]))
        }
    }

    /// A held message staff released: the recipient's row counts it, and shows it unless a later
    /// message is shown already.
    private mutating func release(_ message: HeldMessageRow, into changes: inout [Change]) {
        guard let index = self.conversations.index(of: message.conversationId),
            self.conversations.values[index].thread?.release(message.messageId) == true, let thread = self.conversations.values[index].thread,
            let released = thread.index(of: message.messageId)
        else { return }
        changes.append(.thread(thread.row(message.conversationId)))
        changes.append(.threadMessage(thread.messageRow(message.conversationId, at: released)))
        guard let recipient = thread.counterpart(of: message.senderId), recipient != message.senderId else { return }
        let unread = thread.unread(for: recipient)
        let shown = Shown(messageId: message.messageId, senderId: message.senderId, sentAt: message.sentAt, preview: message.preview, automated: message.automated)
        self.update(index, owner: recipient, into: &changes) { row in
            if let last = row.lastMessageAt, last > message.sentAt {
                row.unreadCount = unread
            } else {
                Self.show(shown, fromParticipant: true, unread: unread, in: &row)
            }
        }
    }

    /// What a row shows of a message.
    private struct Shown {
        let messageId: String
        let senderId: String
        let sentAt: Timestamp
        let preview: String
        let automated: Bool
    }

    private static func show(_ message: Shown, fromParticipant: Bool, unread: Int, in row: inout InboxRow) {
        row.lastMessagePreview = message.preview
        row.lastMessageRedacted = false
        row.lastMessageId = message.messageId
        row.lastMessageAt = message.sentAt
        row.lastMessageSenderId = message.senderId
        row.lastActivityAt = max(row.lastActivityAt, message.sentAt)
        row.unreadCount = unread
        if !message.automated && fromParticipant { row.awaitingReply = message.senderId == row.counterpartId }
    }

    private mutating func setBlock(_ blocker: String, _ blocked: String, blocked isBlocked: Bool, into changes: inout [Change]) {
        let block = InboxBlockRow(blockerId: blocker, blockedId: blocked, active: isBlocked)
        self.blocks[block.key] = isBlocked
        changes.append(.block(block))
        // The rows of the two users' conversations with each other: the blocker's shows the block,
        // the blocked user's shows being blocked (a counterpart's row in the blocker's other
        // conversations is none of this block's business).
        for index in self.conversationsByUser[blocker, default: []] {
            self.update(index, into: &changes) { row in
                if row.ownerId == blocker && row.counterpartId == blocked { row.blocked = isBlocked }
                if row.ownerId == blocked && row.counterpartId == blocker { row.blockedByCounterpart = isBlocked }
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

extension Inbox.Change: ThreadKeepingChange {
    var threadRow: ThreadRow? { if case .thread(let row) = self { row } else { nil } }
    var threadMessageRow: ThreadMessageRow? { if case .threadMessage(let row) = self { row } else { nil } }
}
