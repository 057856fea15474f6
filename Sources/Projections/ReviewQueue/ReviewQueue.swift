import EventLog
import Moderation

/// The staff review queue: one row per message that a detector flagged, masked or bounced, that
/// users reported, or that is held for review (its sender is held, or the recipient blocked them
/// during an active order), with the rule, score, reporters and where review stands.
///
/// A new report or detection about an item staff already decided opens it again. Decisions
/// (``FlagReviewed``) about messages the queue does not hold change nothing. `allow_after_match`
/// decisions are recorded in the log but are not queued: policy let them through.
public struct ReviewQueue: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace the item's row.
        case upsert(ReviewItemRow)

        public var key: ReviewItemRow.Key {
            switch self {
            case .upsert(let row): row.key
            }
        }
    }

    public static let name = "review_queue"

    /// The rule of an item queued because its message is held for review.
    public static let heldRule = "held_for_review"

    private var items = IndexedValues<ReviewItemRow.Key, ReviewItemRow>()

    /// An empty queue.
    public init() {}

    public init(restoring rows: [Change]) {
        for case .upsert(let row) in rows {
            if let index = self.items.index(of: row.key) { self.items.values[index] = row } else { self.items.append(row, for: row.key) }
        }
    }

    public var snapshot: [Change] { self.items.values.map { .upsert($0) } }

    public static func rowSelectors(of event: ProjectedEvent) -> [ReviewItemRow.Key] {
        switch event.event {
        case .messageModerated(let decision): [ReviewItemRow.Key(conversationId: decision.conversationId, messageId: decision.messageId)]
        case .messageSent(let message) where message.withheld == .held:
            [ReviewItemRow.Key(conversationId: message.conversationId, messageId: message.messageId)]
        case .messageFlagged(let flag): [ReviewItemRow.Key(conversationId: flag.conversationId, messageId: flag.messageId)]
        case .flagReviewed(let review): [ReviewItemRow.Key(conversationId: review.conversationId, messageId: review.messageId)]
        default: []
        }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .messageModerated(let decision):
            guard decision.action != .allow && decision.action != .allowAfterMatch else { return }
            self.update(decision.conversationId, decision.messageId, at: decision.occurredAt, into: &changes) { row in
                row.senderId = decision.senderId
                row.moderationAction = decision.action.rawValue
                row.classes = decision.classes.map(\.rawValue).joined(separator: ",")
                row.rule = decision.matches.first?.rule
                row.score = max(row.score, decision.confidence)
                row.originalText = decision.originalText
                row.status = .open
            }
        case .messageSent(let message) where message.withheld == .held:
            self.update(message.conversationId, message.messageId, at: message.occurredAt, into: &changes) { row in
                row.senderId = message.senderId
                row.rule = row.rule ?? Self.heldRule
                row.score = max(row.score, 1)
                row.status = .open
            }
        case .messageFlagged(let flag):
            self.update(flag.conversationId, flag.messageId, at: flag.occurredAt, into: &changes) { row in
                switch flag.source {
                case .user:
                    guard !row.reporterIds.contains(flag.flaggedBy) else { return }
                    row.reporterIds.append(flag.flaggedBy)
                    row.reporters = row.reporterIds.count
                    if !row.reasons.split(separator: ",").contains(Substring(flag.reason.rawValue)) {
                        row.reasons = row.reasons.isEmpty ? flag.reason.rawValue : row.reasons + "," + flag.reason.rawValue
                    }
                case .automatic:
                    row.rule = row.rule ?? "flag.\(flag.reason.rawValue)"
                    row.score = max(row.score, 1)
                }
                row.status = .open
            }
        case .flagReviewed(let review):
            let key = ReviewItemRow.Key(conversationId: review.conversationId, messageId: review.messageId)
            guard let index = self.items.index(of: key) else { return }
            var row = self.items.values[index]
            row.status = switch review.decision {
            case .dismiss: .dismissed
            case .redact: .redacted
            case .warn: .warned
            case .restrict: .restricted
            case .suspend: .suspended
            case .restore: .restored
            }
            row.senderId = row.senderId ?? review.senderId
            row.decidedBy = review.staffId
            row.decisionReason = review.statementOfReasons
            row.lastAt = max(row.lastAt, review.occurredAt)
            self.items.values[index] = row
            changes.append(.upsert(row))
        default:
            return
        }
    }

    /// Creates or changes the item of a message and appends its row when it changed.
    private mutating func update(
        _ conversationId: String, _ messageId: String, at time: Timestamp, into changes: inout [Change],
        _ body: (inout ReviewItemRow) -> Void
    ) {
        let key = ReviewItemRow.Key(conversationId: conversationId, messageId: messageId)
        let isNew = self.items.index(of: key) == nil
        let index = self.items.index(of: key) ?? self.items.append(
            ReviewItemRow(
                conversationId: conversationId, messageId: messageId, senderId: nil, status: .open, moderationAction: nil, classes: "",
                rule: nil, score: 0, reporters: 0, reasons: "", originalText: nil, firstAt: time, lastAt: time, decidedBy: nil,
                decisionReason: nil),
            for: key)
        var row = self.items.values[index]
        let before = row
        body(&row)
        guard isNew || row != before else { return }
        row.lastAt = max(row.lastAt, time)
        self.items.values[index] = row
        changes.append(.upsert(row))
    }
}
