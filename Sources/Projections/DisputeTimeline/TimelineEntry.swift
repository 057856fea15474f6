public import EventLog

/// One event on a dispute timeline, as staff see it.
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
    public var timeline: Timeline
    /// The event's position in the log: the timeline's order.
    public var position: Int64
    /// The stream the event is in.
    public var stream: StreamName
    /// The event's version within its stream.
    public var streamVersion: Int
    /// When it happened.
    public var occurredAt: Timestamp
    /// When the log recorded it.
    public var recordedAt: Timestamp
    /// Who did it: the user or staff member the event names, else the appender from the metadata.
    public var actor: String?
    /// The event itself, unredacted: a redacted message keeps its original text here, for staff.
    /// Persist it as `event.typeName` and `event.encode()`.
    public var event: DomainEvent

    /// The entry's key.
    public var key: Key { Key(timeline: self.timeline, position: self.position) }
}
