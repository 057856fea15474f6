/// How fast vendors first answer buyers, per conversation and per vendor per UTC day.
///
/// Definitions:
/// - A conversation's **first response time** is the time from the buyer's first counted message
///   to the vendor's first counted message after it. Messages the vendor sent before the buyer's
///   first counted message do not answer it.
/// - **Counted** messages are typed by the conversation's buyer or vendor: automated messages
///   (auto-replies, bots) never count, and a message flagged with reason `spam` (by a user or a
///   detector) stops counting from the flag on. Staff messages never count.
/// - A conversation belongs to its vendor's row for the **UTC day of the buyer's first counted
///   message**, even when the answer comes on a later day (an overnight gap counts in full).
/// - Per vendor and day: conversation count (answered or not), answered count, median and mean
///   response time of the answered ones, and the counts (and shares of all the day's
///   conversations) answered within 1 h and within 24 h, bounds included.
public struct VendorResponseMetrics: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace a conversation's first response.
        case conversation(ConversationResponseRow)
        /// Insert or replace a vendor's day.
        case vendorDay(VendorDayMetricsRow)
        /// Insert or replace a message the first response is kept from.
        case message(ResponseMessageRow)
        /// Insert a spam flag on a message (of a conversation, by message id).
        case spam(conversationId: String, messageId: String)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case conversation(String)
            case vendorDay(VendorDayMetricsRow.Key)
            case message(ResponseMessageRow.Key)
            case spam(ResponseMessageRow.Key)
        }

        public var key: Key {
            switch self {
            case .conversation(let row): .conversation(row.conversationId)
            case .vendorDay(let row): .vendorDay(row.key)
            case .message(let row): .message(row.key)
            case .spam(let conversation, let message): .spam(ResponseMessageRow.Key(conversationId: conversation, messageId: message))
            }
        }
    }

    /// The stored rows an event needs.
    public enum RowSelector: Hashable, Sendable {
        /// The conversation's row, its messages and spam flags, and the rows of every conversation
        /// its first response may move between days with (see ``select(_:from:)``).
        case conversation(String)
        /// The rows of the conversations whose first buyer message fell on `day` with the
        /// conversation's vendor: the day a new message may make the first response's.
        case day(conversation: String, UTCDay)
        /// The vendor of a conversation that starts in the page (it has no stored row to name it).
        case vendor(conversation: String, vendorId: String)
    }

    public static let name = "vendor_response_metrics"

    private var trackers = IndexedValues<String, FirstResponseTracker>()
    private var days: [VendorDayMetricsRow.Key: ResponseTally] = [:]

    /// No conversations, no figures.
    public init() {}

    /// A vendor's figures for a day, if any conversation counts there.
    public func figures(vendor: String, day: UTCDay) -> VendorDayMetricsRow? {
        let key = VendorDayMetricsRow.Key(vendorId: vendor, day: day)
        return self.days[key].map { $0.row(key) }
    }

    /// A conversation's first response, if the conversation is known.
    public func firstResponse(conversation: String) -> ConversationResponseRow? {
        self.trackers[conversation].map { Self.row(conversation, $0) }
    }

    /// The figures of these stored conversations (each with its messages and spam flags when
    /// given): a day's figures are tallied from its conversations, which the selection brings whole.
    public init(restoring rows: [Change]) {
        var messages: [String: [ResponseMessageRow]] = [:]
        var spam: [String: [String]] = [:]
        for row in rows {
            switch row {
            case .message(let message): messages[message.conversationId, default: []].append(message)
            case .spam(let conversation, let message): spam[conversation, default: []].append(message)
            case .conversation, .vendorDay: break
            }
        }
        for case .conversation(let row) in rows where self.trackers.index(of: row.conversationId) == nil {
            let tracker = FirstResponseTracker(restoring: row, messages: messages[row.conversationId] ?? [], spam: spam[row.conversationId] ?? [])
            _ = self.trackers.append(tracker, for: row.conversationId)
            if let result = tracker.result { self.days[Self.dayKey(tracker.vendorId, result), default: ResponseTally()].add(result) }
        }
    }

    public var snapshot: [Change] {
        zip(self.trackers.keys, self.trackers.values).flatMap { id, tracker in
            [.conversation(Self.row(id, tracker))] + tracker.storedMessages.map(Change.message)
                + tracker.storedSpam.sorted().map { .spam(conversationId: id, messageId: $0) }
        } + self.days.map { .vendorDay($0.value.row($0.key)) }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        switch event.event {
        case .conversationStarted(let e): [.conversation(e.conversationId), .vendor(conversation: e.conversationId, vendorId: e.vendorId)]
        case .messageSent(let e): [.conversation(e.conversationId), .day(conversation: e.conversationId, UTCDay(e.occurredAt))]
        case .messageFlagged(let e) where e.reason == .spam: [.conversation(e.conversationId)]
        case .flagReviewed(let e) where e.decision == .dismiss: [.conversation(e.conversationId)]
        default: []
        }
    }

    public static func selects(_ selector: RowSelector, _ row: Change) -> Bool {
        guard case .conversation(let id) = selector else { return false }
        switch row {
        case .conversation(let row): return row.conversationId == id
        case .message(let row): return row.conversationId == id
        case .spam(let conversation, _): return conversation == id
        case .vendorDay: return false
        }
    }

    /// The selected conversations' rows, messages and spam flags, and for each of their vendors
    /// every conversation (and day row) of the days its first response may be counted on: the day
    /// it is counted on now, the days of its buyer's messages (a spam flag or a release can move
    /// the first question to one), and the day of a new message. A day's figures are tallied from
    /// all its conversations.
    public static func select(_ selectors: Set<RowSelector>, from rows: [Change]) -> [Change] {
        let direct = rows.filter { row in selectors.contains { Self.selects($0, row) } }
        let days = Self.days(touchedBy: selectors, selected: direct)
        return direct + rows.filter { row in
            switch row {
            case .conversation(let row):
                guard let asked = row.askedAt, !selectors.contains(.conversation(row.conversationId)) else { return false }
                return days.contains(VendorDayMetricsRow.Key(vendorId: row.vendorId, day: UTCDay(asked)))
            case .vendorDay(let row): return days.contains(row.key)
            case .message, .spam: return false
            }
        }
    }

    /// The vendor days the selected conversations' first responses may be counted on, before or
    /// after the page: shared by ``select(_:from:)`` and the SQL of ``load(_:client:logger:)``.
    static func days(touchedBy selectors: Set<RowSelector>, selected rows: [Change]) -> Set<VendorDayMetricsRow.Key> {
        var vendors: [String: String] = [:]
        for case .vendor(let conversation, let vendor) in selectors { vendors[conversation] = vendor }
        var days: Set<VendorDayMetricsRow.Key> = []
        for case .conversation(let row) in rows {
            vendors[row.conversationId] = row.vendorId
            if let asked = row.askedAt { days.insert(VendorDayMetricsRow.Key(vendorId: row.vendorId, day: UTCDay(asked))) }
        }
        for case .message(let message) in rows where message.fromBuyer {
            if let vendor = vendors[message.conversationId] { days.insert(VendorDayMetricsRow.Key(vendorId: vendor, day: UTCDay(message.sentAt))) }
        }
        for case .day(let conversation, let day) in selectors {
            if let vendor = vendors[conversation] { days.insert(VendorDayMetricsRow.Key(vendorId: vendor, day: day)) }
        }
        return days
    }

    private static func dayKey(_ vendor: String, _ result: FirstResponseTracker.FirstResponse) -> VendorDayMetricsRow.Key {
        VendorDayMetricsRow.Key(vendorId: vendor, day: UTCDay(result.askedAt))
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            guard self.trackers.index(of: started.conversationId) == nil else { return }
            let tracker = FirstResponseTracker(buyerId: started.buyerId, vendorId: started.vendorId)
            _ = self.trackers.append(tracker, for: started.conversationId)
            changes.append(.conversation(Self.row(started.conversationId, tracker)))
        case .messageSent(let message):
            self.update(message.conversationId, into: &changes) { tracker, changes in
                let (taken, changed) = tracker.add(message)
                if let taken { changes.append(.message(taken)) }
                return changed
            }
        case .messageFlagged(let flag):
            guard flag.reason == .spam else { return }
            self.update(flag.conversationId, into: &changes) { tracker, changes in
                let (new, changed) = tracker.flagSpam(flag.messageId)
                if new { changes.append(.spam(conversationId: flag.conversationId, messageId: flag.messageId)) }
                return changed
            }
        case .flagReviewed(let review) where review.decision == .dismiss:
            self.update(review.conversationId, into: &changes) { tracker, changes in
                let (released, changed) = tracker.release(review.messageId)
                if let released { changes.append(.message(released)) }
                return changed
            }
        default:
            return
        }
    }

    /// Runs `body` on the conversation's tracker; when the first response changed, moves it between
    /// day tallies and appends the conversation's row and the day rows touched.
    private mutating func update(
        _ conversationId: String, into changes: inout [Change], _ body: (inout FirstResponseTracker, inout [Change]) -> Bool
    ) {
        guard let index = self.trackers.index(of: conversationId) else { return }
        let old = self.trackers.values[index].result
        guard body(&self.trackers.values[index], &changes) else { return }
        let tracker = self.trackers.values[index]
        changes.append(.conversation(Self.row(conversationId, tracker)))
        var touched: [VendorDayMetricsRow.Key] = []
        if let old {
            let key = Self.dayKey(tracker.vendorId, old)
            self.days[key, default: ResponseTally()].remove(old)
            touched.append(key)
        }
        if let new = tracker.result {
            let key = Self.dayKey(tracker.vendorId, new)
            self.days[key, default: ResponseTally()].add(new)
            if !touched.contains(key) { touched.append(key) }
        }
        changes += touched.map { .vendorDay(self.days[$0]!.row($0)) }
    }

    private static func row(_ conversationId: String, _ tracker: FirstResponseTracker) -> ConversationResponseRow {
        ConversationResponseRow(
            conversationId: conversationId, buyerId: tracker.buyerId, vendorId: tracker.vendorId, askedAt: tracker.result?.askedAt,
            answeredAt: tracker.result?.answeredAt)
    }
}
