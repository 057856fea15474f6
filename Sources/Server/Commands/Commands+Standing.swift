import EventLog
import HTTPTypes
import Logging
import Moderation
import Projections

extension Commands {
    /// What a block does to a send: nothing when the counterpart has not blocked the sender;
    /// while the buyer and vendor have an order under way, the message is held for staff (a
    /// marketplace must still resolve the order); otherwise the send is refused.
    /// - Throws: ``APIError`` 403 when the counterpart blocked the sender and no order is under way.
    static func blockRouting(of sender: String, in conversation: Parties, _ dealings: UserFeed.Dealings) throws(APIError) -> Withholding? {
        let counterpart = sender == conversation.buyerId ? conversation.vendorId : conversation.buyerId
        guard dealings.hasBlocked(counterpart) else { return nil }
        guard dealings.hasActiveOrder else {
            throw .forbidden("the other participant blocked you; the message was not sent")
        }
        return .held
    }

    /// Refuses whatever a suspended user tries to send or start, with the reasons they were given.
    /// - Throws: ``APIError`` 403 `account_suspended` for a suspended user.
    static func refuseSuspended(_ row: UserStandingRow) throws(APIError) {
        guard row.standing == .suspended else { return }
        throw APIError(
            .forbidden, "account_suspended",
            "your account is suspended and may not send messages: \(row.statementOfReasons ?? "a staff decision")")
    }

    /// The automatic step a contact or payment attempt takes the sender to, if the escalation
    /// policy moves them: only decisions that flag, mask or bounce count (what policy let through
    /// is no attempt), and a step never lowers the standing staff or an earlier step set.
    func escalation(of row: UserStandingRow, by decision: ModerationDecision, in message: MessageSent) -> StandingChanged? {
        guard decision.action >= .flag else { return nil }
        let attempts = row.attempts + 1
        guard let standing = self.escalationPolicy.escalate(attempts: attempts, current: row.standing) else { return nil }
        return StandingChanged(
            userId: message.senderId, standing: standing, source: .automatic, attempts: attempts, conversationId: message.conversationId,
            messageId: message.messageId, statementOfReasons: self.escalationPolicy.statement(for: standing, attempts: attempts),
            occurredAt: message.occurredAt)
    }

    /// Appends a send's events. A retry counts the original attempt too, so it may reach an
    /// escalation step the original did not take: the log then reports part of the append as
    /// already there, and the retry is made again without the step (every other event of it was
    /// appended by the original).
    func appendSend(_ events: [(event: DomainEvent, key: String?)], by sender: Principal) async throws(APIError) -> Appended {
        do {
            return try await self.append(events, by: sender)
        } catch where error.code == "idempotency_key_reused" && events.contains(where: { Self.isStandingChange($0.event) }) {
            return try await self.append(events.filter { !Self.isStandingChange($0.event) }, by: sender)
        }
    }

    private static func isStandingChange(_ event: DomainEvent) -> Bool {
        if case .standingChanged = event { return true }
        return false
    }

    /// Staff set a user's standing: warn, hold, restrict, suspend or restore (`good`), with the
    /// statement of reasons the user reads (recorded for staff only for a shadow restriction).
    /// - Throws: ``APIError`` 403 for non-staff, 400/413 for a bad id or reason, 409
    ///   `standing_unchanged` when the user already has that standing.
    func setStanding(
        of user: String, to standing: Standing, reason: String, by staff: Principal, logger: Logger
    ) async throws(APIError) -> Appended {
        guard staff.isStaff, let staffId = staff.userId else { throw .forbidden("only staff change a user's standing") }
        try self.check(id: user, "user")
        try self.check(reason: reason)
        let current = try await self.standing(of: user, logger: logger)
        guard current.standing != standing else {
            throw .conflict("standing_unchanged", "user \"\(user)\" already has standing \"\(standing.rawValue)\"")
        }
        let change = StandingChanged(
            userId: user, standing: standing, source: .staff, staffId: staffId, statementOfReasons: reason, occurredAt: self.clock())
        return try await self.append(.standingChanged(change), by: staff)
    }

    /// A user's standing from committed state: the stored row brought up to the log's head.
    /// - Throws: ``APIError`` 503 when the reads fail or do not finish in time.
    func standing(of user: String, logger: Logger? = nil) async throws(APIError) -> UserStandingRow {
        let (log, recent) = (self.log, self.recent)
        let logger = logger ?? log.logger
        do {
            return try await withDeadline(Self.readDeadline, "reading the user's standing") {
                var (row, checkpoint) = try await UserStanding.stored(user, client: log.client, logger: logger)
                try await recent.forEach(after: checkpoint, types: UserStanding.eventTypes) { later in UserStanding.advance(&row, with: later) }
                return row
            }
        } catch let error as EventLogError {
            throw APIError(error)
        } catch {
            throw APIError.unavailable("the user's standing could not be read: \(error)")
        }
    }
}
