import HTTPTypes
import EventLog
import Moderation
import Projections

/// The write side of the API: each command checks who asks and what they ask, then appends the
/// events that record it. An event is in the log (committed) before any command returns; reads
/// that must see it pass the returned offset as `after`. What a command checks is read as
/// committed (``hasBlocked(_:_:)``, ``order(_:)``…): the stored feed with the log after it.
struct Commands: Sendable {
    let log: EventLog
    /// The log's latest events the checks fold, read once for every command of the instance.
    let recent: RecentEvents
    let limits: Limits
    /// Messages per user (HTTP and stream alike).
    let messageLimiter: SharedRateLimiter
    /// The pipeline every message goes through before it is appended.
    let moderator: Moderator
    /// When near-duplicate messages to many people count as spam.
    let spamPolicy: SpamPolicy
    /// The stricter limits of new accounts.
    let newAccountPolicy: NewAccountPolicy
    /// How repeated contact and payment attempts escalate a sender's standing.
    let escalationPolicy: EscalationPolicy
    let clock: @Sendable () -> Timestamp

    /// Sizes the API accepts.
    struct Limits: Sendable {
        /// Characters of a message's text.
        var messageCharacters = 4_000
        /// Characters of a short text: a reason, a name, a title.
        var shortCharacters = 500
        /// Bytes of an id.
        var idBytes = 200
    }

    /// How long a read a command needs may take before the command is answered 503.
    static let readDeadline: Duration = .seconds(5)

    /// Where an appended event landed.
    struct Appended: Sendable, Equatable {
        /// Its position: the global offset.
        var offset: Int64
        /// Its version in its stream.
        var version: Int
        /// Whether this was a retry of an append already in the log (nothing new was written).
        var duplicate: Bool
    }

    /// Appends one event by `principal`.
    /// - Throws: ``APIError`` for what the log refuses (version conflict, size, unavailable).
    func append(
        _ event: DomainEvent, by principal: Principal, expecting expected: ExpectedVersion = .any, key: String? = nil
    ) async throws(APIError) -> Appended {
        try await self.append([(event, key: key)], by: principal, expecting: expected)
    }

    /// Appends events by `principal`, atomically, each to its own stream (the first one's
    /// version must be `expected`); where the first landed.
    /// - Throws: ``APIError`` for what the log refuses (version conflict, size, unavailable).
    func append(
        _ events: [(event: DomainEvent, key: String?)], by principal: Principal, expecting expected: ExpectedVersion = .any
    ) async throws(APIError) -> Appended {
        let result: AppendResult
        do throws(EventLogError) {
            let data = try events.map { event, key throws(EventLogError) in
                let data = EventData(
                    type: event.typeName, schemaVersion: event.schemaVersion, payload: event.encode(),
                    metadata: EventMetadata(actor: principal.actor), idempotencyKey: key)
                return (stream: try event.stream(), event: data)
            }
            guard var request = AppendRequest.preservingOrder(data, maxEvents: data.count).first else {
                throw EventLogError(.emptyAppend, "nothing to append")
            }
            request.streams[0].expectedVersion = expected
            result = try await self.log.append(request)
        } catch {
            throw APIError(error)
        }
        guard let appended = result.events.first else { throw APIError(.internalServerError, "internal", "the log returned no position") }
        return Appended(offset: appended.position, version: appended.streamVersion, duplicate: result.deduplicated)
    }

    /// Answers 503 at once while the write path is down, rather than after the read deadline.
    func checkWritable() throws(APIError) {
        if let problem = self.log.writeProblem { throw APIError(EventLogError(.unavailable, problem)) }
    }

    /// Who takes part in a conversation and what it is about.
    struct Parties: Sendable, Equatable {
        var conversationId: String
        var buyerId: String
        var vendorId: String
        var subject: ConversationSubject

        init(_ started: ConversationStarted) {
            self.conversationId = started.conversationId
            self.buyerId = started.buyerId
            self.vendorId = started.vendorId
            self.subject = started.subject
        }

        init(_ id: String, _ known: UserFeed.Conversation) {
            self.conversationId = id
            self.buyerId = known.buyerId
            self.vendorId = known.vendorId
            self.subject = known.subject
        }
    }

    /// The buyer and vendor of a conversation: from the stored feed, else (its projector has not
    /// reached the conversation's start yet) from the first event of its stream.
    /// - Throws: ``APIError`` 404 when no such conversation started; 503 when it cannot be read.
    func conversation(_ id: String) async throws(APIError) -> Parties {
        let known = try await self.stored("reading conversation \(id)") { client, logger in
            try await UserFeed.conversation(id, client: client, logger: logger)
        }
        if let known { return Parties(id, known) }
        let notFound = APIError.notFound("conversation_not_found", "no conversation \"\(id)\"")
        guard let stream = try? StreamName.conversation(id) else { throw notFound }
        do {
            guard let first = try await self.log.read(stream: stream, from: 1, limit: 1).first,
                case .conversationStarted(let started) = try ProjectedEvent(first).event
            else { throw notFound }
            return Parties(started)
        } catch let error as APIError {
            throw error
        } catch let error as EventLogError {
            throw APIError(error)
        } catch {
            throw notFound
        }
    }

    /// The conversation, if `principal` takes part in it. Staff read conversations through the
    /// staff routes, which record why.
    /// - Throws: ``APIError`` 404 when it does not exist or the caller takes no part (not telling
    ///   strangers which conversations exist).
    func visibleConversation(_ id: String, to principal: Principal) async throws(APIError) -> Parties {
        let conversation = try await self.conversation(id)
        guard case .user(let user, let role) = principal, role != .staff, user == conversation.buyerId || user == conversation.vendorId else {
            throw .notFound("conversation_not_found", "no conversation \"\(id)\" of yours")
        }
        return conversation
    }

    /// Every event of `stream`, in version order, read in pages.
    func readAll(_ stream: StreamName) async throws(APIError) -> [RecordedEvent] {
        try await self.log.readAll(stream)
    }

    /// The events of `stream` from `version` on, in version order, handed to `consume` a page of
    /// up to 1,000 at a time until the stream ends or `consume` returns false.
    func readPages(
        of stream: StreamName, from version: Int = 1, _ consume: ([RecordedEvent]) throws(APIError) -> Bool
    ) async throws(APIError) {
        try await self.log.readPages(of: stream, from: version, consume)
    }

    /// A recorded event's domain event.
    /// - Throws: ``APIError`` 500 when the log holds an event this server cannot read.
    static func decode(_ recorded: RecordedEvent) throws(APIError) -> DomainEvent {
        do {
            return try ProjectedEvent(recorded).event
        } catch {
            throw APIError(.internalServerError, "internal", "event \(recorded.position) could not be read: \(error)")
        }
    }

    /// Checks an id's size and characters.
    func check(id: String, _ field: String) throws(APIError) {
        guard !id.isEmpty, id.utf8.count <= self.limits.idBytes, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalid("`\(field)` must be 1 to \(self.limits.idBytes) printable ASCII characters without spaces")
        }
    }

    /// Checks a reason: a statement of reasons, or why staff read or changed something. It is a
    /// short text (at most `limit` characters, the short-text limit by default) that says something.
    /// - Throws: ``APIError`` 400 when it is empty or only white space, 413 when it is too long.
    func check(reason: String, limit: Int? = nil) throws(APIError) {
        try self.check(text: reason, "reason", limit: limit)
        guard reason.contains(where: { !$0.isWhitespace }) else { throw .invalid("`reason` must say why, in words; it is only white space") }
    }

    /// Checks a short text's length, and that it holds no U+0000 (which no PostgreSQL text holds).
    func check(text: String, _ field: String, allowEmpty: Bool = false, limit: Int? = nil) throws(APIError) {
        let limit = limit ?? self.limits.shortCharacters
        guard allowEmpty || !text.isEmpty else { throw .invalid("`\(field)` must not be empty") }
        guard !text.utf8.contains(0) else { throw .invalid("`\(field)` holds U+0000 (the NUL character), which Parley does not store") }
        guard text.count <= limit else { throw APIError(.contentTooLarge, "payload_too_large", "`\(field)` is over \(limit) characters") }
    }
}
