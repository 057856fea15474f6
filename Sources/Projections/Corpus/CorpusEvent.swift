public import EventLog

/// One action of the corpus (`scripts/corpus.py`, one JSON object per line) as the
/// catalogue event it records, with everything needed to append it: its stream, idempotency key
/// and metadata. What `parley-replay import` and the benchmarks append.
///
/// The mapping:
/// - `message_sent`: the client's `client_id` becomes both ``MessageSent/messageId`` and
///   ``MessageSent/clientMessageId``, and the idempotency key `message:<conversation>:<client_id>`,
///   so importing a file twice writes each message once.
/// - `message_delivered`, `message_read`: `up_to` names a message by its `client_id`, which is its id.
/// - `message_flagged`: the message is named by `client_id`; the flag's source is `user`.
/// - `template_saved`: the template's id is its name (saving again replaces it).
/// - The corpus's `at` is the event's `occurredAt`. The actor is `user:<id>` of the user who acted,
///   and `platform` for order state changes, which the marketplace reports.
public struct CorpusEvent: Hashable, Sendable {
    /// The stream the event belongs in.
    public var stream: StreamName
    /// The catalogue event.
    public var event: DomainEvent
    /// The key that makes its append idempotent; set for messages only.
    public var idempotencyKey: String?
    /// Who caused it.
    public var metadata: EventMetadata

    /// Maps one line of the corpus (its JSON bytes, without the newline).
    /// - Throws: ``ProjectionError`` `.invalidCorpusAction` when the line is not JSON, names an
    ///   unknown kind, or lacks a field its kind needs; the message names the line's `seq` and the field.
    public init(line: [UInt8]) throws(ProjectionError) {
        let action: CorpusAction
        do {
            action = try line.withUnsafeBufferPointer { (bytes) throws(JSONError) -> CorpusAction in
                var reader = JSONReader(bytes)
                let action = try CorpusAction(json: &reader)
                try reader.finish()
                return action
            }
        } catch {
            throw ProjectionError(.invalidCorpusAction, "corpus line is not an action: \(error); lines must be as scripts/corpus.py writes them")
        }
        let (event, actor) = try action.domainEvent()
        self.event = event
        self.metadata = EventMetadata(actor: actor)
        if case .messageSent(let message) = event {
            self.idempotencyKey = "message:\(message.conversationId):\(message.clientMessageId)"
        }
        do {
            self.stream = try event.stream()
        } catch {
            throw action.invalid("its ids cannot name a stream: \(error.message)")
        }
    }

    /// The event as the append API takes it: type, current schema version, JSON payload, metadata and key.
    public var eventData: EventData {
        EventData(
            type: self.event.typeName, schemaVersion: self.event.schemaVersion, payload: self.event.encode(),
            metadata: self.metadata, idempotencyKey: self.idempotencyKey)
    }
}
