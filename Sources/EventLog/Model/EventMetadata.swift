/// Who caused an event and what it belongs to; stored with every event and covered by its hash.
public struct EventMetadata: Hashable, Sendable {
    /// The user or system that caused the event (e.g. `user:u-1`, `platform`).
    public var actor: String?
    /// The id of the command or event that caused this event.
    public var causationId: String?
    /// The id that ties together everything done for one request or workflow.
    public var correlationId: String?

    /// The actor of an event a user of any role (buyer, vendor, staff) caused: `user:<id>`, as
    /// every writer records it (the server and `parley-replay` alike).
    public static func userActor(_ id: String) -> String { "user:\(id)" }

    /// Creates metadata; every field is optional.
    public init(actor: String? = nil, causationId: String? = nil, correlationId: String? = nil) {
        self.actor = actor
        self.causationId = causationId
        self.correlationId = correlationId
    }
}
