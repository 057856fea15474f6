public import EventLog

/// Every domain event Parley records, one case per type of the catalogue.
///
/// An event's payload is its JSON (``encode()``), stored as `EventData.payload` with
/// ``typeName`` and ``schemaVersion``; ``decode(type:schemaVersion:payload:)`` reads it back,
/// upcasting older schema versions to the current types.
public enum DomainEvent: Hashable, Sendable {
    /// A buyer and a vendor started a conversation about a listing, an order or nothing in particular.
    case conversationStarted(ConversationStarted)
    /// A participant sent a message in a conversation.
    case messageSent(MessageSent)
    /// A recipient's device received every message of a conversation up to and including one: a watermark.
    case messageDelivered(MessageDelivered)
    /// A reader saw every message of a conversation up to and including one: a watermark.
    case messageRead(MessageRead)
    /// A person or a detector flagged a message for moderation.
    case messageFlagged(MessageFlagged)
    /// The moderation pipeline found contact details or payment talk in a message and decided what to do.
    case messageModerated(MessageModerated)
    /// Staff reviewed a flagged message and decided (dismiss, redact, warn, restrict or suspend the sender).
    case flagReviewed(FlagReviewed)
    /// Staff removed a message's text from the participants' view; the log keeps the original for staff.
    case messageRedacted(MessageRedacted)
    /// A user blocked another: the blocked user can no longer message them.
    case userBlocked(UserBlocked)
    /// A user lifted a block.
    case userUnblocked(UserUnblocked)
    /// A user turned one category of notification on or off on one channel.
    case notificationPreferenceChanged(NotificationPreferenceChanged)
    /// A user set the hours in which they get no notifications.
    case quietHoursChanged(QuietHoursChanged)
    /// An order moved to a new state.
    case orderStateChanged(OrderStateChanged)
    /// A vendor changed a listing's title or price; stored in the vendor's stream.
    case listingUpdated(ListingUpdated)
    /// A user's profile now reads as given: every field is the full new value.
    case userProfileUpdated(UserProfileUpdated)
    /// A vendor saved (created or replaced) a reply template.
    case replyTemplateSaved(ReplyTemplateSaved)
    /// A vendor deleted a reply template.
    case replyTemplateDeleted(ReplyTemplateDeleted)
    /// A staff member opened a conversation, e.
    case staffViewedConversation(StaffViewedConversation)
    /// A user's moderation standing changed (an automatic escalation or a staff decision).
    case standingChanged(StandingChanged)

    /// The payload as the protocol every event type conforms to.
    public var payload: any DomainEventPayload { self.catalogued }

    var catalogued: any CataloguedEvent {
        switch self {
        case .conversationStarted(let event): event
        case .messageSent(let event): event
        case .messageDelivered(let event): event
        case .messageRead(let event): event
        case .messageFlagged(let event): event
        case .messageModerated(let event): event
        case .flagReviewed(let event): event
        case .messageRedacted(let event): event
        case .userBlocked(let event): event
        case .userUnblocked(let event): event
        case .notificationPreferenceChanged(let event): event
        case .quietHoursChanged(let event): event
        case .orderStateChanged(let event): event
        case .listingUpdated(let event): event
        case .userProfileUpdated(let event): event
        case .replyTemplateSaved(let event): event
        case .replyTemplateDeleted(let event): event
        case .staffViewedConversation(let event): event
        case .standingChanged(let event): event
        }
    }

    /// The type name stored in the log, e.g. `MessageSent`.
    public var typeName: String { type(of: self.payload).eventType }

    /// The schema version ``encode()`` writes: always the current one.
    public var schemaVersion: Int { type(of: self.payload).schemaVersion }

    /// When the event happened in the domain.
    public var occurredAt: Timestamp { self.payload.occurredAt }

    /// Every type of the catalogue, in a stable order.
    static let catalogue: [any CataloguedEvent.Type] = [
        ConversationStarted.self,
        MessageSent.self,
        MessageDelivered.self,
        MessageRead.self,
        MessageFlagged.self,
        MessageModerated.self,
        FlagReviewed.self,
        MessageRedacted.self,
        UserBlocked.self,
        UserUnblocked.self,
        NotificationPreferenceChanged.self,
        QuietHoursChanged.self,
        OrderStateChanged.self,
        ListingUpdated.self,
        UserProfileUpdated.self,
        ReplyTemplateSaved.self,
        ReplyTemplateDeleted.self,
        StaffViewedConversation.self,
        StandingChanged.self,
    ]

    /// The type names and current schema versions of the catalogue.
    public static var types: [(name: String, schemaVersion: Int)] {
        catalogue.map { ($0.eventType, $0.schemaVersion) }
    }
}
