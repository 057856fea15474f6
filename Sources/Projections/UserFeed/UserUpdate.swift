public import EventLog

/// What one user sees change when the log gains an event: one durable update of their stream.
///
/// Each event yields at most one update per user. Every event of a conversation's stream yields
/// one update for each participant — `hidden` when the event is not theirs to see (a flag the
/// other side raised, a staff view) — so the versions a participant receives for a conversation
/// are dense and a client can detect a gap by itself.
public struct UserUpdate: Hashable, Sendable {
    /// What changed, as the client is told.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A conversation the user takes part in started.
        case conversationStarted = "conversation.started"
        /// A message was added to a conversation.
        case messageAdded = "message.added"
        /// Staff redacted a message; its text is gone for participants.
        case messageRedacted = "message.redacted"
        /// A participant's delivery watermark moved.
        case delivered = "receipt.delivered"
        /// A participant's read watermark moved.
        case read = "receipt.read"
        /// The user flagged a message (only the flagger is told).
        case messageFlagged = "message.flagged"
        /// The moderation pipeline decided about a message the user sent (only the sender is told, with the reasons).
        case messageModerated = "message.moderated"
        /// Staff reviewed a message the user sent and redacted it or warned them (only the sender is told, with the reasons).
        case messageReviewed = "message.reviewed"
        /// The order of a conversation the user takes part in changed state.
        case orderState = "order.state"
        /// The user's own settings, profile, blocks, listings or templates changed.
        case userChanged = "user.changed"
        /// Only the user's inbox rows changed (a counterpart's profile, a block against them, a listing).
        case inboxChanged = "inbox.changed"
        /// An event of the conversation the user may not see: it only moves the version on.
        case hidden
    }

    /// The user the update is for.
    public var userId: String
    /// The event's global position: the offset a client resumes from.
    public var position: Int64
    /// The event's stream.
    public var stream: StreamName
    /// The event's version in its stream.
    public var streamVersion: Int
    /// When the log recorded the event.
    public var recordedAt: Timestamp
    /// What changed.
    public var kind: Kind
    /// The event, for every kind but `hidden` and `inboxChanged`.
    public var event: DomainEvent?
    /// The user's inbox rows the event changed, as they are after it.
    public var inbox: [InboxRow]
    /// Whether this is a message staff redacted since: its text and attachment are left out.
    public var redacted = false

    /// The update as a participant may read it now: a message whose id is in `redacted` (staff
    /// redacted it after it was sent) without its text and attachment, marked ``redacted``, and
    /// inbox rows whose last message it is without their preview; any other update as it is.
    /// Catch-ups and histories send what is current, never a redacted text.
    public func hidingRedacted(_ redacted: Set<String>) -> UserUpdate {
        guard !redacted.isEmpty else { return self }
        var update = self
        if case .messageSent(var message)? = self.event, redacted.contains(message.messageId) {
            message.text = ""
            message.attachment = nil
            update.event = .messageSent(message)
            update.redacted = true
        }
        for index in update.inbox.indices where update.inbox[index].lastMessageId.map(redacted.contains) == true {
            update.inbox[index].lastMessagePreview = nil
            update.inbox[index].lastMessageRedacted = true
        }
        return update
    }

    /// Creates an update.
    public init(
        userId: String, position: Int64, stream: StreamName, streamVersion: Int, recordedAt: Timestamp, kind: Kind,
        event: DomainEvent?, inbox: [InboxRow]
    ) {
        self.userId = userId
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.kind = kind
        self.event = event
        self.inbox = inbox
    }
}
