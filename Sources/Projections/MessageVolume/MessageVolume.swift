/// Conversations started and messages sent per UTC day per subject kind (see ``MessageVolumeRow``).
public struct MessageVolume: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace the day's row.
        case upsert(MessageVolumeRow)

        public var key: MessageVolumeRow.Key {
            switch self {
            case .upsert(let row): row.key
            }
        }
    }

    public static let name = "message_volume"

    private var subjectKinds: [String: ConversationSubject.Kind] = [:]
    private var rows = IndexedValues<MessageVolumeRow.Key, MessageVolumeRow>()

    /// No volume yet.
    public init() {}

    public var snapshot: [Change] { self.rows.values.map(Change.upsert) }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            guard self.subjectKinds[started.conversationId] == nil else { return }
            self.subjectKinds[started.conversationId] = started.subject.kind
            self.count(UTCDay(started.occurredAt), started.subject.kind, into: &changes) { $0.conversationsStarted += 1 }
        case .messageSent(let message):
            guard let kind = self.subjectKinds[message.conversationId] else { return }
            self.count(UTCDay(message.occurredAt), kind, into: &changes) { row in
                row.messages += 1
                if message.automated { row.automatedMessages += 1 }
            }
        default:
            return
        }
    }

    private mutating func count(
        _ day: UTCDay, _ kind: ConversationSubject.Kind, into changes: inout [Change], _ body: (inout MessageVolumeRow) -> Void
    ) {
        let key = MessageVolumeRow.Key(day: day, subjectKind: kind)
        let index = self.rows.index(of: key)
            ?? self.rows.append(MessageVolumeRow(day: day, subjectKind: kind, conversationsStarted: 0, messages: 0, automatedMessages: 0), for: key)
        body(&self.rows.values[index])
        changes.append(.upsert(self.rows.values[index]))
    }
}
