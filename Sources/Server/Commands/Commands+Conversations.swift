import EventLog
import HTTPTypes
import Moderation
import Projections

extension Commands {
    /// A conversation as the API reports it after a start.
    struct Started: Sendable {
        var conversation: Parties
        /// False when the buyer, vendor and subject already had a conversation: that one is returned.
        var created: Bool
        var offset: Int64
    }

    /// Starts (or finds) the conversation of the calling buyer with `vendor` about `subject`.
    /// A listing subject takes its title and price from the listing the platform described; an
    /// order subject must name an order of this buyer and vendor.
    /// - Throws: ``APIError`` 403 for non-buyers, buyers the vendor blocked (unless about an order
    ///   under way) and `account_suspended`, 404 for an unknown listing or order, 400 for bad ids.
    func startConversation(buyer: Principal, vendor: String, subject requested: ConversationSubject) async throws(APIError) -> Started {
        guard case .user(let buyerId, .buyer) = buyer else { throw .forbidden("only buyers start conversations") }
        try self.check(id: vendor, "vendorId")
        guard vendor != buyerId else { throw .invalid("a buyer cannot start a conversation with themself") }
        try self.checkWritable()
        try Self.refuseSuspended(try await self.standing(of: buyerId))
        var subject = ConversationSubject(kind: requested.kind)
        switch requested.kind {
        case .listing:
            guard let id = requested.listingId else { throw .invalid("`subject.listingId` is required for a listing conversation") }
            try self.check(id: id, "subject.listingId")
            guard let listing = try await self.listing(id), listing.vendorId == vendor else {
                throw .notFound("listing_not_found", "vendor \"\(vendor)\" has no listing \"\(id)\"")
            }
            subject = ConversationSubject(kind: .listing, listingId: id, title: listing.title, priceCents: listing.priceCents)
        case .order:
            guard let id = requested.orderId else { throw .invalid("`subject.orderId` is required for an order conversation") }
            try self.check(id: id, "subject.orderId")
            guard let order = try await self.order(id), order.buyerId == buyerId, order.vendorId == vendor else {
                throw .notFound("order_not_found", "no order \"\(id)\" between you and vendor \"\(vendor)\"")
            }
            subject = ConversationSubject(kind: .order, orderId: id)
        case .general:
            break
        }
        // A vendor who blocked the buyer is not reached through a new conversation either, except
        // about an order still under way (its messages are then held for staff).
        let dealings = try await self.dealings(buyer: buyerId, vendor: vendor)
        if dealings.vendorBlockedBuyer {
            guard subject.kind == .order && dealings.hasActiveOrder else { throw .forbidden("vendor \"\(vendor)\" blocked you; no conversation was started") }
        }
        let id = Identifiers.conversation(buyer: buyerId, vendor: vendor, subject: subject)
        let started = ConversationStarted(
            conversationId: id, buyerId: buyerId, vendorId: vendor, startedBy: buyerId, subject: subject, occurredAt: self.clock())
        do {
            let appended = try await self.append(.conversationStarted(started), by: buyer, expecting: .noStream)
            return Started(conversation: Parties(started), created: true, offset: appended.offset)
        } catch let error where error.code == "version_conflict" {
            let existing = try await self.conversation(id)
            let offset = (try? await self.log.head().position) ?? 0
            return Started(conversation: existing, created: false, offset: offset)
        }
    }

    /// What a client sends to post a message.
    struct MessageDraft: Sendable, Decodable, Equatable {
        var clientMessageId: String
        var text: String
        var attachment: Attachment?
        var templateId: String?
        var automated: Bool?
    }

    /// What the sender is told once a message is in the log.
    struct MessageAck: Sendable, Equatable {
        var conversationId: String
        var clientMessageId: String
        var messageId: String
        var offset: Int64
        var version: Int
        var duplicate: Bool
        /// What moderation found and did, when it found anything.
        var moderation: ModerationNotice?
        /// Whether the message waits for staff review before the recipient gets it (never said of
        /// a shadow-restricted message).
        var heldForReview = false

        /// Writes the ack's members (the HTTP body's, and the stream `ack` frame's after `type` and `ref`).
        func writeMembers(into writer: inout JSONWriter) {
            writer.key("conversationId")
            writer.string(self.conversationId)
            writer.key("clientMessageId")
            writer.string(self.clientMessageId)
            writer.key("messageId")
            writer.string(self.messageId)
            writer.key("offset")
            writer.int(self.offset)
            writer.key("version")
            writer.int(Int64(self.version))
            writer.key("duplicate")
            writer.bool(self.duplicate)
            if let moderation = self.moderation {
                writer.key("moderation")
                moderation.write(into: &writer)
            }
            if self.heldForReview {
                writer.key("heldForReview")
                writer.bool(true)
            }
        }

        /// The ack as the HTTP API's JSON body.
        var json: [UInt8] {
            var writer = JSONWriter(capacity: 256)
            writer.beginObject()
            self.writeMembers(into: &writer)
            writer.endObject()
            return writer.bytes
        }
    }

    /// Posts a message in a conversation the sender takes part in, after the moderation pipeline
    /// examined it: a decision about anything found is appended with the message, a masked
    /// message is stored masked, and a bounced one is not stored at all. A contact or payment
    /// attempt that reaches a step of the escalation policy appends the sender's new standing
    /// with it. A held sender's message, and one into a conversation the counterpart blocked
    /// during an active order, is stored but held for staff review; a restricted sender's is
    /// stored shadow-restricted (acknowledged as usual, never delivered). A retry with the same
    /// client message id appends nothing and returns the original ack (or the same refusal).
    /// - Throws: ``APIError`` 404 unknown conversation (or not the sender's), 403 when the
    ///   counterpart blocked the sender (no active order) or `account_suspended`, 400/413 for bad
    ///   or oversized content, 422 `message_blocked` (with the reasons in `details`) when
    ///   moderation bounced it.
    func send(_ draft: MessageDraft, in conversationId: String, by sender: Principal) async throws(APIError) -> MessageAck {
        guard case .user(let senderId, let role) = sender, role != .staff else { throw .forbidden("only the buyer and the vendor post messages") }
        guard try await self.messageLimiter.allow(senderId) else { throw .rateLimited("messages") }
        try self.check(id: draft.clientMessageId, "clientMessageId")
        try self.check(text: draft.text, "text", allowEmpty: draft.attachment != nil, limit: self.limits.messageCharacters)
        if let attachment = draft.attachment {
            try self.check(text: attachment.name, "attachment.name")
            guard attachment.bytes >= 0 else { throw .invalid("`attachment.bytes` must not be negative") }
        }
        if let template = draft.templateId { try self.check(id: template, "templateId") }
        let conversation = try await self.visibleConversation(conversationId, to: sender)
        try self.checkWritable()
        let dealings = try await self.dealings(buyer: conversation.buyerId, vendor: conversation.vendorId)
        var withheld = try Self.blockRouting(of: senderId, in: conversation, dealings)
        let messageId = Identifiers.message(sender: senderId, clientMessageId: draft.clientMessageId)
        var message = MessageSent(
            conversationId: conversation.conversationId, messageId: messageId, clientMessageId: draft.clientMessageId,
            senderId: senderId, text: draft.text, attachment: draft.attachment, templateUsed: draft.templateId,
            automated: draft.automated ?? false, occurredAt: self.clock())
        let key = Identifiers.messageKey(sender: senderId, clientMessageId: draft.clientMessageId)
        let counterpart = senderId == conversation.buyerId ? conversation.vendorId : conversation.buyerId
        let standing = try await self.standing(of: senderId)
        try Self.refuseSuspended(standing)
        let activity = try await self.senderActivity(of: senderId, in: conversationId, counterpart: counterpart, at: message.occurredAt)
        switch standing.standing {
        case .restricted: withheld = .shadow
        case .held: withheld = .held
        case .good, .warned, .suspended: break
        }
        let orderExists = dealings.hasOrder
        let window = try await self.moderationWindow(of: senderId, in: conversationId)
        let decision = self.moderator.examine(draft.text, window: window, orderExists: orderExists)
        var events: [(event: DomainEvent, key: String?)] = []
        var notice: ModerationNotice?
        if decision.flagged {
            var decided = ModerationNotice(decision: decision)
            let keptAsWritten = decision.action != .mask && decision.action != .bounce
            if decision.action == .mask, let masked = decision.maskedText { message.text = masked }
            let moderated = MessageModerated(decision, about: message, originalText: keptAsWritten ? nil : draft.text, orderExists: orderExists)
            var found: [(event: DomainEvent, key: String?)] = [(.messageModerated(moderated), key: "\(key):\(decision.action == .bounce ? "bounced" : "moderated")")]
            if let step = self.escalation(of: standing, by: decision, in: message) {
                found.append((.standingChanged(step), key: "\(key):standing"))
                decided.standing = step
            }
            notice = decided
            if decision.action == .bounce {
                _ = try await self.appendSend(found, by: sender)
                throw APIError(.unprocessableContent, "message_blocked", decision.statementOfReasons, details: decided.json)
            }
            events += found
        }
        switch self.newAccountPolicy.judge(
            firstMessageAge: activity.firstSentAt.map { Int((message.occurredAt.microseconds - $0.microseconds) / 1_000_000) },
            sentInLastHour: activity.sentInLastHour,
            carriesLinkOrAttachment: draft.attachment != nil || decision.classes.contains(.externalLink),
            counterpartReplied: activity.counterpartReplied)
        {
        case .allowed:
            break
        case .tooManyMessages(let limit):
            throw APIError(
                .tooManyRequests, "new_account_limit",
                "new accounts may send \(limit) messages an hour; this one was not sent: try again later")
        case .holdUntilReply:
            throw APIError(
                .unprocessableContent, "held_until_reply",
                "new accounts can send links and attachments in a conversation once the other participant has replied; it was not sent")
        }
        switch try await self.spamVerdict(of: draft, by: senderId, to: counterpart, activity: activity) {
        case .clean:
            break
        case .flag:
            let flag = MessageFlagged(
                conversationId: conversationId, messageId: messageId, flaggedBy: Self.nearDuplicateDetector, reason: .spam, source: .automatic,
                occurredAt: message.occurredAt)
            events.append((.messageFlagged(flag), key: "\(key):spam"))
        case .throttle(let recipients):
            throw APIError(
                .tooManyRequests, "spam_throttled",
                "you sent the same or nearly the same text to \(recipients) people within \(self.spamPolicy.windowSeconds / 60) minutes; "
                    + "it was not sent: wait before sending it to more people, or write to each of them in your own words")
        }
        message.withheld = withheld
        let appended = try await self.appendSend([(.messageSent(message), key: key)] + events, by: sender)
        return MessageAck(
            conversationId: conversationId, clientMessageId: draft.clientMessageId, messageId: messageId,
            offset: appended.offset, version: appended.version, duplicate: appended.duplicate, moderation: notice,
            heldForReview: withheld == .held)
    }

    /// The `flaggedBy` of flags the near-duplicate check raises.
    static let nearDuplicateDetector = "moderation.near_duplicate"

    /// The sender's last messages in the conversation that moderation reads for contacts split
    /// across messages: from the conversation's latest events in the log (committed state), oldest
    /// first. Read under a deadline, and not at all while the write path is down, so a send during
    /// an outage is answered 503 at once rather than waiting on the database.
    private func moderationWindow(of sender: String, in conversationId: String) async throws(APIError) -> ConversationWindow {
        let size = self.moderator.policy.windowMessages
        guard size > 0, let stream = try? StreamName.conversation(conversationId) else { return .empty }
        if let problem = self.log.writeProblem { throw APIError(EventLogError(.unavailable, problem)) }
        let recentEvents = size * 4 + 4
        do {
            let log = self.log
            let newestFirst = try await withDeadline(Self.readDeadline, "reading the conversation's latest messages") {
                try await log.read(stream: stream, from: Int(Int32.max), backwards: true, limit: recentEvents)
            }
            let texts: [String] = newestFirst.reversed().compactMap { recorded in
                guard recorded.type == MessageSent.eventType, case .messageSent(let sent)? = try? ProjectedEvent(recorded).event,
                    sent.senderId == sender
                else { return nil }
                return sent.text
            }
            return ConversationWindow(previousMessages: Array(texts.suffix(size)))
        } catch let error as EventLogError {
            throw APIError(error)
        } catch {
            throw APIError.unavailable("the conversation could not be read: \(error)")
        }
    }

    /// Checks that the conversation holds the message, in committed state: the stored inbox's
    /// threads, then the log after their checkpoint. A watermark, flag or redaction naming a
    /// message that was never sent is refused instead of written to the log for good.
    /// - Throws: ``APIError`` 404 `message_not_found`; 503 when the reads fail or do not finish in time.
    func requireMessage(_ messageId: String, in conversationId: String) async throws(APIError) {
        let (log, recent) = (self.log, self.recent)
        let held: Bool
        do {
            held = try await withDeadline(Self.readDeadline, "looking the message up") {
                let (checkpoint, stored) = try await Inbox.holds(message: messageId, in: conversationId, client: log.client, logger: log.logger)
                if stored { return true }
                let stream = try StreamName.conversation(conversationId)
                var found = false
                try await recent.forEach(after: checkpoint, types: [MessageSent.eventType]) { later in
                    guard !found, later.stream == stream, case .messageSent(let sent) = later.event else { return }
                    found = sent.messageId == messageId
                }
                return found
            }
        } catch let error as EventLogError {
            throw APIError(error)
        } catch {
            throw APIError.unavailable("the message could not be looked up: \(error)")
        }
        guard held else { throw .notFound("message_not_found", "no message \"\(messageId)\" in conversation \"\(conversationId)\"") }
    }

    /// A watermark: a participant received (or read) the conversation up to a message.
    enum Watermark: String, Sendable { case delivered, read }

    /// Moves the caller's delivery or read watermark in a conversation up to `messageId`.
    /// - Throws: ``APIError`` 404 for an unknown conversation, one the caller takes no part in, or
    ///   a message it does not hold.
    func mark(_ watermark: Watermark, upTo messageId: String, in conversationId: String, by user: Principal) async throws(APIError) -> Appended {
        guard case .user(let userId, let role) = user, role != .staff else { throw .forbidden("only the buyer and the vendor have watermarks") }
        try self.check(id: messageId, "upToMessageId")
        _ = try await self.visibleConversation(conversationId, to: user)
        try await self.requireMessage(messageId, in: conversationId)
        let now = self.clock()
        let event: DomainEvent =
            switch watermark {
            case .delivered: .messageDelivered(MessageDelivered(conversationId: conversationId, recipientId: userId, upToMessageId: messageId, occurredAt: now))
            case .read: .messageRead(MessageRead(conversationId: conversationId, readerId: userId, upToMessageId: messageId, occurredAt: now))
            }
        return try await self.append(event, by: user)
    }

    /// Flags a message of a conversation the caller takes part in.
    func flag(message messageId: String, in conversationId: String, reason: FlagReason, by user: Principal) async throws(APIError) -> Appended {
        guard case .user(let userId, let role) = user, role != .staff else {
            throw .forbidden("participants flag messages; staff redact them")
        }
        try self.check(id: messageId, "messageId")
        _ = try await self.visibleConversation(conversationId, to: user)
        try await self.requireMessage(messageId, in: conversationId)
        let flag = MessageFlagged(
            conversationId: conversationId, messageId: messageId, flaggedBy: userId, reason: reason, source: .user, occurredAt: self.clock())
        return try await self.append(.messageFlagged(flag), by: user)
    }

    /// Staff redact a message: its text is hidden from participants (the dispute timeline keeps it).
    func redact(message messageId: String, in conversationId: String, reason: String, by staff: Principal) async throws(APIError) -> Appended {
        guard staff.isStaff, let staffId = staff.userId else { throw .forbidden("only staff redact messages") }
        try self.check(id: messageId, "messageId")
        try self.check(reason: reason)
        _ = try await self.conversation(conversationId)
        try await self.requireMessage(messageId, in: conversationId)
        let redaction = MessageRedacted(conversationId: conversationId, messageId: messageId, staffId: staffId, reason: reason, occurredAt: self.clock())
        return try await self.append(.messageRedacted(redaction), by: staff)
    }

    /// Records that staff viewed a conversation, and why: every staff read of a conversation does this first.
    func recordStaffView(of conversationId: String, reason: String, by staff: Principal) async throws(APIError) -> Appended {
        guard staff.isStaff, let staffId = staff.userId else { throw .forbidden("only staff may read other people's conversations") }
        try self.check(reason: reason)
        _ = try await self.conversation(conversationId)
        let view = StaffViewedConversation(conversationId: conversationId, staffId: staffId, reason: reason, occurredAt: self.clock())
        return try await self.append(.staffViewedConversation(view), by: staff)
    }
}
