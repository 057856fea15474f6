import EventLog
import Moderation
import ParleyTestSupport
import Projections

/// Random events of every catalogue type, for round trips and schema checks.
enum SampleEvents {
    /// How optional members are filled.
    enum Optionals { case all, none, random }

    /// Texts that exercise the codec: escapes, control characters, non-ASCII, emoji, empty.
    static let texts = [
        "", "Hi! Is the pottery bowl still available?", "quote \" backslash \\ slash /", "line\nbreak\ttab\r",
        "control \u{01}\u{1F} chars", "Chloé 🙂 👍🏽 ✨", "日本語のテキスト", String(repeating: "long ", count: 60),
        "my email is olivia17 [at] outlook [dot] com", "\u{7F} del and \u{2028} separator",
    ]

    /// A random event of the type named `type`.
    static func make(_ type: String, _ optionals: Optionals, using rng: inout SeededRandom) -> DomainEvent {
        func text() -> String { rng.pick(texts) }
        func id(_ prefix: String) -> String { "\(prefix)-\(Int.random(in: 0..<100_000, using: &rng))" }
        func maybe<T>(_ make: () -> T) -> T? {
            switch optionals {
            case .all: make()
            case .none: nil
            case .random: rng.chance(0.5) ? make() : nil
            }
        }
        let at = Timestamp(microseconds: Int64.random(in: 1_700_000_000_000_000..<1_800_000_000_000_000, using: &rng))
        switch type {
        case ConversationStarted.eventType:
            let subject: ConversationSubject = rng.pick([
                .listing(id: id("l"), title: text(), priceCents: Int64.random(in: 0..<10_000_000, using: &rng)),
                .order(id: id("o"), title: maybe { text() }), .general,
            ])
            return ConversationStarted(
                conversationId: id("c"), buyerId: id("u"), vendorId: id("u"), startedBy: id("u"), subject: subject,
                occurredAt: at
            ).domainEvent
        case MessageSent.eventType:
            return MessageSent(
                conversationId: id("c"), messageId: id("m"), clientMessageId: id("cm"), senderId: id("u"), text: text(),
                attachment: maybe { Attachment(name: text(), contentType: maybe { "image/png" }, bytes: Int64.random(in: 0..<5_000_000, using: &rng)) },
                templateUsed: maybe { id("t") }, automated: rng.chance(0.3), withheld: maybe { rng.pick(Withholding.allCases) }, occurredAt: at
            ).domainEvent
        case MessageDelivered.eventType:
            return MessageDelivered(conversationId: id("c"), recipientId: id("u"), upToMessageId: id("m"), occurredAt: at).domainEvent
        case MessageRead.eventType:
            return MessageRead(conversationId: id("c"), readerId: id("u"), upToMessageId: id("m"), occurredAt: at).domainEvent
        case MessageFlagged.eventType:
            return MessageFlagged(
                conversationId: id("c"), messageId: id("m"), flaggedBy: id("u"), reason: rng.pick(FlagReason.allCases),
                source: rng.pick(FlagSource.allCases), occurredAt: at
            ).domainEvent
        case MessageModerated.eventType:
            let matches = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                ModerationMatch(
                    contactClass: rng.pick(ContactClass.allCases), rule: rng.pick(["phone.international", "email.spelled", "app.intent"]),
                    span: TextSpan(start: Int.random(in: 0..<200, using: &rng), length: Int.random(in: 1..<40, using: &rng)),
                    confidence: rng.pick([0.55, 0.9, 1.0, 0.875]),
                    obfuscations: Array(Obfuscation.allCases.shuffled(using: &rng).prefix(Int.random(in: 0...2, using: &rng))),
                    value: text())
            }
            return MessageModerated(
                conversationId: id("c"), messageId: id("m"), clientMessageId: id("cm"), senderId: id("u"),
                action: rng.pick(ModerationAction.allCases), matches: matches, confidence: matches.map(\.confidence).max() ?? 0,
                orderExists: rng.chance(0.5), originalText: maybe { text() }, statementOfReasons: text(), occurredAt: at
            ).domainEvent
        case FlagReviewed.eventType:
            return FlagReviewed(
                conversationId: id("c"), messageId: id("m"), senderId: id("u"), staffId: id("s"), decision: rng.pick(ReviewDecision.allCases),
                statementOfReasons: text(), occurredAt: at
            ).domainEvent
        case MessageRedacted.eventType:
            return MessageRedacted(conversationId: id("c"), messageId: id("m"), staffId: id("s"), reason: text(), occurredAt: at).domainEvent
        case UserBlocked.eventType:
            return UserBlocked(blockerId: id("u"), blockedId: id("u"), occurredAt: at).domainEvent
        case UserUnblocked.eventType:
            return UserUnblocked(blockerId: id("u"), blockedId: id("u"), occurredAt: at).domainEvent
        case NotificationPreferenceChanged.eventType:
            return NotificationPreferenceChanged(
                userId: id("u"), channel: rng.pick(NotificationChannel.allCases), category: rng.pick(NotificationCategory.allCases),
                enabled: rng.chance(0.5), occurredAt: at
            ).domainEvent
        case QuietHoursChanged.eventType:
            let windows = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                QuietHoursWindow(
                    days: Array(Weekday.allCases.shuffled(using: &rng).prefix(Int.random(in: 0...7, using: &rng))),
                    startMinute: Int.random(in: 0..<1440, using: &rng), endMinute: Int.random(in: 0..<1440, using: &rng))
            }
            return QuietHoursChanged(userId: id("u"), timeZone: rng.pick(["Europe/Lisbon", "America/Denver", "UTC"]), windows: windows, occurredAt: at).domainEvent
        case OrderStateChanged.eventType:
            return OrderStateChanged(orderId: id("o"), buyerId: id("u"), vendorId: id("u"), state: rng.pick(OrderState.allCases), occurredAt: at).domainEvent
        case ListingUpdated.eventType:
            return ListingUpdated(listingId: id("l"), vendorId: id("u"), title: text(), priceCents: Int64.random(in: 0..<10_000_000, using: &rng), occurredAt: at).domainEvent
        case UserProfileUpdated.eventType:
            return UserProfileUpdated(
                userId: id("u"), displayName: text(), role: rng.pick(UserRole.allCases), timeZone: maybe { "Asia/Tokyo" },
                email: maybe { "\(id("user"))@example.com" }, occurredAt: at
            ).domainEvent
        case ReplyTemplateSaved.eventType:
            return ReplyTemplateSaved(vendorId: id("u"), templateId: id("t"), name: "shipping", text: text(), occurredAt: at).domainEvent
        case ReplyTemplateDeleted.eventType:
            return ReplyTemplateDeleted(vendorId: id("u"), templateId: id("t"), occurredAt: at).domainEvent
        case StaffViewedConversation.eventType:
            return StaffViewedConversation(conversationId: id("c"), staffId: id("s"), reason: text(), occurredAt: at).domainEvent
        case StandingChanged.eventType:
            return StandingChanged(
                userId: id("u"), standing: rng.pick(Standing.allCases), source: rng.pick(StandingSource.allCases), staffId: maybe { id("s") },
                attempts: maybe { Int.random(in: 1..<20, using: &rng) }, conversationId: maybe { id("c") }, messageId: maybe { id("m") },
                statementOfReasons: text(), occurredAt: at
            ).domainEvent
        default:
            fatalError("SampleEvents has no generator for \(type); add one")
        }
    }
}
