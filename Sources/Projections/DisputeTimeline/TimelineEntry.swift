public import EventLog

/// One event on a dispute timeline, as staff see it.
///
/// An event on several timelines (a conversation's and its order's) is kept once and shared by
/// their entries, so an entry costs a reference, not a copy of the event.
public struct TimelineEntry: Hashable, Sendable {
    /// Whose timeline: a conversation's or an order's.
    public enum Timeline: Hashable, Sendable {
        case conversation(String)
        case order(String)
    }

    /// What identifies an entry: the timeline and the event's position.
    public struct Key: Hashable, Sendable {
        /// The timeline.
        public var timeline: Timeline
        /// The event's position in the log.
        public var position: Int64
    }

    /// The timeline the entry is on.
    public let timeline: Timeline
    private let recorded: TimelineEvent

    init(timeline: Timeline, recorded: TimelineEvent) {
        self.timeline = timeline
        self.recorded = recorded
    }

    /// The event's position in the log: the timeline's order.
    public var position: Int64 { self.recorded.event.position }
    /// The stream the event is in.
    public var stream: StreamName { self.recorded.event.stream }
    /// The event's version within its stream.
    public var streamVersion: Int { self.recorded.event.streamVersion }
    /// When it happened.
    public var occurredAt: Timestamp { self.recorded.event.event.occurredAt }
    /// When the log recorded it.
    public var recordedAt: Timestamp { self.recorded.event.recordedAt }
    /// Who did it: the user or staff member the event names, else the appender from the metadata.
    public var actor: String? { self.recorded.actor }
    /// The event itself, unredacted: a redacted message keeps its original text here, for staff.
    /// Persist it as `event.typeName` and `event.encode()`.
    public var event: DomainEvent { self.recorded.event.event }

    /// The entry's key.
    public var key: Key { Key(timeline: self.timeline, position: self.position) }
}

/// An event that is on one or more timelines, with the actor they show; immutable and shared.
final class TimelineEvent: Hashable, Sendable {
    let event: ProjectedEvent
    let actor: String?

    init(_ event: ProjectedEvent, actor: String?) {
        self.event = event
        self.actor = actor
    }

    static func == (lhs: TimelineEvent, rhs: TimelineEvent) -> Bool {
        lhs === rhs || (lhs.event == rhs.event && lhs.actor == rhs.actor)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(self.event.position) }
}
