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

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case conversation(String)
            case vendorDay(VendorDayMetricsRow.Key)
        }

        public var key: Key {
            switch self {
            case .conversation(let row): .conversation(row.conversationId)
            case .vendorDay(let row): .vendorDay(row.key)
            }
        }
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

    public var snapshot: [Change] {
        zip(self.trackers.keys, self.trackers.values).map { .conversation(Self.row($0, $1)) } + self.days.map { .vendorDay($0.value.row($0.key)) }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            guard self.trackers.index(of: started.conversationId) == nil else { return }
            let tracker = FirstResponseTracker(buyerId: started.buyerId, vendorId: started.vendorId)
            _ = self.trackers.append(tracker, for: started.conversationId)
            changes.append(.conversation(Self.row(started.conversationId, tracker)))
        case .messageSent(let message):
            self.update(message.conversationId, into: &changes) { $0.add(message) }
        case .messageFlagged(let flag):
            guard flag.reason == .spam else { return }
            self.update(flag.conversationId, into: &changes) { $0.flagSpam(flag.messageId) }
        case .flagReviewed(let review) where review.decision == .dismiss:
            self.update(review.conversationId, into: &changes) { $0.release(review.messageId) }
        default:
            return
        }
    }

    /// Runs `body` on the conversation's tracker; when the first response changed, moves it between
    /// day tallies and appends the conversation's row and the day rows touched.
    private mutating func update(_ conversationId: String, into changes: inout [Change], _ body: (inout FirstResponseTracker) -> Bool) {
        guard let index = self.trackers.index(of: conversationId) else { return }
        let old = self.trackers.values[index].result
        guard body(&self.trackers.values[index]) else { return }
        let tracker = self.trackers.values[index]
        changes.append(.conversation(Self.row(conversationId, tracker)))
        var touched: [VendorDayMetricsRow.Key] = []
        if let old {
            let key = VendorDayMetricsRow.Key(vendorId: tracker.vendorId, day: UTCDay(old.askedAt))
            self.days[key, default: ResponseTally()].remove(old)
            touched.append(key)
        }
        if let new = tracker.result {
            let key = VendorDayMetricsRow.Key(vendorId: tracker.vendorId, day: UTCDay(new.askedAt))
            self.days[key, default: ResponseTally()].add(new)
            if !touched.contains(key) { touched.append(key) }
        }
        changes += touched.map { .vendorDay(self.days[$0]!.row($0)) }
    }

    private static func row(_ conversationId: String, _ tracker: FirstResponseTracker) -> ConversationResponseRow {
        ConversationResponseRow(
            conversationId: conversationId, vendorId: tracker.vendorId, askedAt: tracker.result?.askedAt,
            answeredAt: tracker.result?.answeredAt)
    }
}
