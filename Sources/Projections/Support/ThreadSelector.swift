/// What a page needs of a conversation's stored thread (``ThreadRow`` and its
/// ``ThreadMessageRow``s). The projections that keep threads name one for each event, so a page
/// loads a thread's row and just the messages its events need, not the whole conversation: a long
/// conversation costs a page what the page touches.
public enum ThreadSelector: Hashable, Sendable {
    /// The thread's row: participants, message count, watermarks and unread counts.
    case thread(String)
    /// The thread's row and the stored message with this id, if there is one: a send checks that
    /// its message is not there yet, a release finds the message it releases.
    case message(MessageKey)
    /// The thread's row and the messages a participant's watermark passes over when it moves up to
    /// a message (see ``WatermarkMove``).
    case watermark(WatermarkMove)

    /// A participant's delivery or read watermark moving up to a message.
    public struct WatermarkMove: Hashable, Sendable {
        /// Which of a participant's watermarks moves.
        public enum Mark: Hashable, Sendable {
            /// How far the participant has received the thread.
            case delivered
            /// How far the participant has read the thread.
            case read
        }

        /// The conversation.
        public var conversationId: String
        /// The participant whose watermark moves.
        public var userId: String
        /// The message it moves up to.
        public var upTo: String
        /// Which watermark moves.
        public var mark: Mark

        /// The move of `userId`'s `mark` up to message `upTo` of conversation `conversationId`.
        public init(conversationId: String, userId: String, upTo: String, mark: Mark) {
            self.conversationId = conversationId
            self.userId = userId
            self.upTo = upTo
            self.mark = mark
        }
    }

    /// The conversation whose thread it selects.
    public var conversationId: String {
        switch self {
        case .thread(let id): id
        case .message(let key): key.conversationId
        case .watermark(let move): move.conversationId
        }
    }

    /// The messages that selectors name by id: the stored ones among them are loaded by id.
    static func namedMessages(_ selectors: some Sequence<ThreadSelector>) -> Set<MessageKey> {
        var named: Set<MessageKey> = []
        for selector in selectors {
            switch selector {
            case .thread: break
            case .message(let key): named.insert(key)
            case .watermark(let move): named.insert(MessageKey(conversationId: move.conversationId, messageId: move.upTo))
            }
        }
        return named
    }

    /// The places of the stored messages the watermark moves among `selectors` pass over, by
    /// conversation: from the participant's stored watermark through the message it moves up to.
    /// When that message is not stored but a selector of the page names it (a message the page
    /// sends), the move may pass over every stored message after the watermark; when nothing names
    /// it, the move goes nowhere and needs no message.
    ///
    /// - Parameters:
    ///   - threads: the stored threads of the selected conversations.
    ///   - places: the places of the stored messages ``namedMessages(_:)`` named.
    static func passedOver(
        _ selectors: Set<ThreadSelector>, threads: [String: ThreadRow], places: [MessageKey: Int]
    ) -> [String: [ClosedRange<Int>]] {
        var ranges: [String: [ClosedRange<Int>]] = [:]
        for case .watermark(let move) in selectors {
            guard let thread = threads[move.conversationId], let from = thread.watermark(of: move.userId, move.mark) else { continue }
            let key = MessageKey(conversationId: move.conversationId, messageId: move.upTo)
            let through = places[key] ?? (selectors.contains(.message(key)) ? thread.messageCount - 1 : -1)
            if from <= through { ranges[move.conversationId, default: []].append(from...through) }
        }
        return ranges
    }

    /// The keys of the stored thread messages among `rows` that `selectors` select: the pure
    /// counterpart of ``ThreadTables/load(_:client:logger:)``.
    static func select(_ selectors: Set<ThreadSelector>, from rows: [some ThreadKeepingChange]) -> Set<ThreadMessageRow.Key> {
        Self.select(selectors, threads: rows.compactMap(\.threadRow), messages: rows.compactMap(\.threadMessageRow))
    }

    private static func select(_ selectors: Set<ThreadSelector>, threads: [ThreadRow], messages: [ThreadMessageRow]) -> Set<ThreadMessageRow.Key> {
        let conversations = Set(selectors.map(\.conversationId))
        let named = Self.namedMessages(selectors)
        var places: [MessageKey: Int] = [:]
        for message in messages where named.contains(message.messageKey) {
            places[message.messageKey] = message.seq
        }
        let selectedThreads = Dictionary(
            threads.filter { conversations.contains($0.conversationId) }.map { ($0.conversationId, $0) }, uniquingKeysWith: { first, _ in first })
        let ranges = Self.passedOver(selectors, threads: selectedThreads, places: places)
        var selected = Set(places.map { ThreadMessageRow.Key(conversationId: $0.key.conversationId, seq: $0.value) })
        for message in messages where ranges[message.conversationId]?.contains(where: { $0.contains(message.seq) }) == true {
            selected.insert(message.key)
        }
        return selected
    }
}

extension ThreadRow {
    /// How many messages from the start a participant's watermark covers: the place of the first
    /// message it does not cover. Nil for users who take no part.
    func watermark(of user: String, _ mark: ThreadSelector.WatermarkMove.Mark) -> Int? {
        switch (user, mark) {
        case (self.buyerId, .delivered): self.buyerDelivered
        case (self.buyerId, .read): self.buyerRead
        case (self.vendorId, .delivered): self.vendorDelivered
        case (self.vendorId, .read): self.vendorRead
        default: nil
        }
    }
}

/// The change of a projection that keeps threads beside its own rows: some of its changes write a
/// ``ThreadRow``, some a ``ThreadMessageRow``.
protocol ThreadKeepingChange {
    /// The thread row this change writes, if it writes one.
    var threadRow: ThreadRow? { get }
    /// The thread message row this change writes, if it writes one.
    var threadMessageRow: ThreadMessageRow? { get }
}
