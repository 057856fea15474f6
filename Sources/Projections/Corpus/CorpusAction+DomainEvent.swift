extension CorpusAction {
    /// The catalogue event this action records, and the actor to put in its metadata.
    /// - Throws: ``ProjectionError`` `.invalidCorpusAction` for an unknown kind or a missing field.
    func domainEvent() throws(ProjectionError) -> (DomainEvent, actor: String) {
        let at = try self.required(self.at, "at")
        switch try self.required(self.kind, "kind") {
        case "conversation_started":
            let buyer = try self.required(self.buyer, "buyer")
            let startedBy = self.by ?? buyer
            let started = ConversationStarted(
                conversationId: try self.required(self.conversation, "conversation"), buyerId: buyer,
                vendorId: try self.required(self.vendor, "vendor"), startedBy: startedBy,
                subject: try self.required(self.subject, "subject"), occurredAt: at)
            return (.conversationStarted(started), Self.user(startedBy))
        case "message_sent":
            let sender = try self.required(self.sender, "sender")
            let clientId = try self.required(self.clientId, "client_id")
            let message = MessageSent(
                conversationId: try self.required(self.conversation, "conversation"), messageId: clientId,
                clientMessageId: clientId, senderId: sender, text: try self.required(self.text, "text"),
                attachment: self.attachment, automated: false, occurredAt: at)
            return (.messageSent(message), Self.user(sender))
        case "message_delivered":
            let recipient = try self.required(self.recipient, "recipient")
            let delivered = MessageDelivered(
                conversationId: try self.required(self.conversation, "conversation"), recipientId: recipient,
                upToMessageId: try self.required(self.upTo, "up_to"), occurredAt: at)
            return (.messageDelivered(delivered), Self.user(recipient))
        case "message_read":
            let reader = try self.required(self.reader, "reader")
            let read = MessageRead(
                conversationId: try self.required(self.conversation, "conversation"), readerId: reader,
                upToMessageId: try self.required(self.upTo, "up_to"), occurredAt: at)
            return (.messageRead(read), Self.user(reader))
        case "message_flagged":
            let by = try self.required(self.by, "by")
            let flag = MessageFlagged(
                conversationId: try self.required(self.conversation, "conversation"),
                messageId: try self.required(self.clientId, "client_id"), flaggedBy: by,
                reason: try self.required(self.reason, "reason"), source: .user, occurredAt: at)
            return (.messageFlagged(flag), Self.user(by))
        case "order_state_changed":
            let change = OrderStateChanged(
                orderId: try self.required(self.order, "order"), buyerId: try self.required(self.buyer, "buyer"),
                vendorId: try self.required(self.vendor, "vendor"), state: try self.required(self.state, "state"),
                occurredAt: at)
            return (.orderStateChanged(change), "platform")
        case "preference_changed":
            let user = try self.required(self.user, "user")
            let preference = NotificationPreferenceChanged(
                userId: user, channel: try self.required(self.channel, "channel"),
                category: try self.required(self.category, "category"), enabled: try self.required(self.enabled, "enabled"),
                occurredAt: at)
            return (.notificationPreferenceChanged(preference), Self.user(user))
        case "template_saved":
            let vendor = try self.required(self.vendor, "vendor")
            let name = try self.required(self.name, "name")
            let template = ReplyTemplateSaved(
                vendorId: vendor, templateId: name, name: name, text: try self.required(self.text, "text"), occurredAt: at)
            return (.replyTemplateSaved(template), Self.user(vendor))
        case let kind:
            throw self.invalid(
                "its kind \"\(kind)\" is unknown; known kinds: conversation_started, message_sent, message_delivered, "
                    + "message_read, message_flagged, order_state_changed, preference_changed, template_saved")
        }
    }

    /// An error about this line, naming it by its `seq`.
    func invalid(_ problem: String) -> ProjectionError {
        let line = self.seq.map { "corpus line with seq \($0)" } ?? "corpus line"
        return ProjectionError(.invalidCorpusAction, "\(line): \(problem); lines must be as scripts/corpus.py writes them")
    }

    private func required<Value>(_ value: Value?, _ field: String) throws(ProjectionError) -> Value {
        guard let value else { throw self.invalid("\(self.kind.map { "a \($0) action" } ?? "an action") needs \"\(field)\"") }
        return value
    }

    private static func user(_ id: String) -> String { "user:\(id)" }
}
