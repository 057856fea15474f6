import EventLog
import Logging
import Moderation
import Projections

extension Commands {
    /// Staff decide about a message in the review queue: dismiss it (a message held for review is
    /// delivered), redact it (a `MessageRedacted` is appended with the decision, atomically),
    /// warn, restrict or suspend its sender (a `StandingChanged` in the sender's stream is
    /// appended with the decision, atomically, unless the sender already stands there or worse),
    /// or restore the sender to good standing (a `StandingChanged` to `good`, unless they are
    /// there already; nothing else is undone: a redaction stays).
    /// The statement of reasons is what the sender reads, except for a shadow restriction.
    /// - Throws: ``APIError`` 403 for non-staff, 404 `review_item_not_found` when the queue holds no
    ///   such message (yet: the projection may trail the log by milliseconds), 409 `not_stored`
    ///   to redact a bounced message (it was never delivered), 400/413 for a bad reason.
    func review(
        message messageId: String, in conversationId: String, decision: ReviewDecision, reason: String, by staff: Principal,
        logger: Logger
    ) async throws(APIError) -> Appended {
        guard staff.isStaff, let staffId = staff.userId else { throw .forbidden("only staff review flagged messages") }
        try self.check(id: conversationId, "conversationId")
        try self.check(id: messageId, "messageId")
        try self.check(reason: reason)
        let item: ReviewQueue.Listing?
        do {
            item = try await ReviewQueue.item(conversationId: conversationId, messageId: messageId, client: self.log.client, logger: logger)
        } catch {
            throw .unavailable("the review queue could not be read: \(String(reflecting: error))")
        }
        guard let item, let senderId = item.senderId else {
            throw .notFound("review_item_not_found", "the review queue holds no message \"\(messageId)\" of conversation \"\(conversationId)\"")
        }
        if decision == .redact && item.row.moderationAction == "bounce" {
            throw .conflict("not_stored", "a bounced message was never stored or delivered; dismiss it or warn the sender")
        }
        let now = self.clock()
        let reviewed = FlagReviewed(
            conversationId: conversationId, messageId: messageId, senderId: senderId, staffId: staffId, decision: decision,
            statementOfReasons: reason, occurredAt: now)
        var events: [(event: DomainEvent, key: String?)] = [(.flagReviewed(reviewed), nil)]
        if decision == .redact {
            let redaction = MessageRedacted(conversationId: conversationId, messageId: messageId, staffId: staffId, reason: reason, occurredAt: now)
            events.append((.messageRedacted(redaction), nil))
        }
        if decision.concernsStanding,
            let standing = decision.senderStanding(from: try await self.standing(of: senderId, logger: logger).standing)
        {
            let change = StandingChanged(
                userId: senderId, standing: standing, source: .staff, staffId: staffId, conversationId: conversationId, messageId: messageId,
                statementOfReasons: reason, occurredAt: now)
            events.append((.standingChanged(change), nil))
        }
        return try await self.append(events, by: staff)
    }
}
