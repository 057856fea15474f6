import EventLog
import Moderation
import ParleyTestSupport
import Projections

/// Random but plausible logs: conversations between a few buyers and vendors, with messages
/// (some automated, some from staff, a few repeated ids), watermarks (some stale, some naming
/// unknown messages, some held for review or shadow-restricted), flags, redactions, standing changes, order states, listing and profile updates, blocks,
/// preferences and staff views, hours or days apart at times.
enum RandomHistory {
    private struct Conversation {
        let id: String
        let buyer: String
        let vendor: String
        var messages: [String] = []
    }

    static func make(seed: UInt64, count: Int) -> [ProjectedEvent] {
        var rng = SeededRandom(seed: seed)
        var fixture = Fixture()
        let buyers = (0..<6).map { "b\($0)" }
        let vendors = (0..<3).map { "v\($0)" }
        var conversations: [Conversation] = []
        var orders: [String] = []
        var time = Fixture.at("2026-03-01T00:00:00Z").microseconds
        while fixture.events.count < count {
            time += rng.chance(0.05) ? Int64.random(in: 3_600_000_000...108_000_000_000, using: &rng) : Int64.random(in: 1_000_000...900_000_000, using: &rng)
            let at = Timestamp(microseconds: time)
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 8 || conversations.isEmpty {
                let conversation = Conversation(id: "c\(conversations.count)", buyer: rng.pick(buyers), vendor: rng.pick(vendors))
                let subject: ConversationSubject
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: subject = .listing(id: "l\(Int.random(in: 0..<4, using: &rng))", title: "Lens", priceCents: 100)
                case 1:
                    orders.append("o\(orders.count)")
                    subject = .order(id: orders.last!, title: "Mug")
                default: subject = .general
                }
                conversations.append(conversation)
                fixture.add(.conversationStarted(ConversationStarted(
                    conversationId: conversation.id, buyerId: conversation.buyer, vendorId: conversation.vendor,
                    startedBy: conversation.buyer, subject: subject, occurredAt: at)))
                continue
            }
            let index = Int.random(in: 0..<conversations.count, using: &rng)
            let c = conversations[index]
            let participant = rng.pick([c.buyer, c.vendor])
            let someMessage = c.messages.isEmpty || rng.chance(0.05) ? "unknown" : rng.pick(c.messages)
            let event: DomainEvent
            switch roll {
            case ..<50:
                var id = "m\(c.messages.count)"
                if !c.messages.isEmpty && rng.chance(0.02) { id = rng.pick(c.messages) } else { conversations[index].messages.append(id) }
                let sender = rng.chance(0.05) ? "s0" : participant
                event = .messageSent(MessageSent(
                    conversationId: c.id, messageId: id, clientMessageId: "k-\(c.id)-\(id)", senderId: sender, text: "text \(id)",
                    automated: rng.chance(0.15), withheld: rng.chance(0.08) ? rng.pick(Withholding.allCases) : nil, occurredAt: at))
            case ..<62: event = .messageDelivered(MessageDelivered(conversationId: c.id, recipientId: participant, upToMessageId: someMessage, occurredAt: at))
            case ..<75: event = .messageRead(MessageRead(conversationId: c.id, readerId: rng.chance(0.05) ? "s0" : participant, upToMessageId: someMessage, occurredAt: at))
            case ..<79:
                event = .messageFlagged(MessageFlagged(
                    conversationId: c.id, messageId: someMessage, flaggedBy: participant, reason: rng.pick(FlagReason.allCases),
                    source: rng.pick(FlagSource.allCases), occurredAt: at))
            case ..<81: event = .messageRedacted(MessageRedacted(conversationId: c.id, messageId: someMessage, staffId: "s0", reason: "r", occurredAt: at))
            case ..<85:
                event = .orderStateChanged(OrderStateChanged(
                    orderId: orders.isEmpty ? "o-none" : rng.pick(orders), buyerId: c.buyer, vendorId: c.vendor,
                    state: rng.pick(OrderState.allCases), occurredAt: at))
            case ..<87: event = .listingUpdated(ListingUpdated(listingId: "l\(Int.random(in: 0..<4, using: &rng))", vendorId: c.vendor, title: "T\(roll)", priceCents: Int64(roll), occurredAt: at))
            case ..<90: event = .userProfileUpdated(UserProfileUpdated(userId: participant, displayName: "N\(roll)", role: rng.pick(UserRole.allCases), occurredAt: at))
            case ..<92: event = .userBlocked(UserBlocked(blockerId: participant, blockedId: c.buyer == participant ? c.vendor : c.buyer, occurredAt: at))
            case ..<93: event = .userUnblocked(UserUnblocked(blockerId: participant, blockedId: c.buyer == participant ? c.vendor : c.buyer, occurredAt: at))
            case ..<96:
                event = .notificationPreferenceChanged(NotificationPreferenceChanged(
                    userId: participant, channel: rng.pick(NotificationChannel.allCases), category: rng.chance(0.7) ? .newMessage : .marketing,
                    enabled: rng.chance(0.3), occurredAt: at))
            case ..<97: event = .staffViewedConversation(StaffViewedConversation(conversationId: c.id, staffId: "s0", reason: "audit", occurredAt: at))
            case ..<98:
                event = .flagReviewed(FlagReviewed(
                    conversationId: c.id, messageId: someMessage, senderId: participant, staffId: "s0",
                    decision: rng.pick(ReviewDecision.allCases), statementOfReasons: "r", occurredAt: at))
            case ..<99 where rng.chance(0.3):
                event = .standingChanged(StandingChanged(
                    userId: participant, standing: rng.pick(Standing.allCases), source: rng.pick(StandingSource.allCases),
                    statementOfReasons: "r", occurredAt: at))
            case ..<99:
                let match = ModerationMatch(
                    contactClass: rng.pick(ContactClass.allCases), rule: "phone.national", span: TextSpan(start: 0, length: 5), confidence: 0.9,
                    value: "07911")
                event = .messageModerated(MessageModerated(
                    conversationId: c.id, messageId: someMessage, clientMessageId: "k", senderId: participant,
                    action: rng.pick(ModerationAction.allCases), matches: [match], confidence: 0.9, orderExists: rng.chance(0.5),
                    statementOfReasons: "r", occurredAt: at))
            default: event = .replyTemplateSaved(ReplyTemplateSaved(vendorId: c.vendor, templateId: "t", name: "shipping", text: "We ship", occurredAt: at))
            }
            fixture.add(event)
        }
        return fixture.events
    }
}
