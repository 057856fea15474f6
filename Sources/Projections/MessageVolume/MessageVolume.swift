/// Conversations started and messages sent per UTC day per subject kind (see ``MessageVolumeRow``).
public struct MessageVolume: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace the day's row.
        case upsert(MessageVolumeRow)
        /// Insert a conversation's subject kind, when it starts.
        case conversation(VolumeConversationRow)

        /// Which row a change writes.
        public enum Key: Hashable, Sendable {
            case day(MessageVolumeRow.Key)
            case conversation(String)
        }

        public var key: Key {
            switch self {
            case .upsert(let row): .day(row.key)
            case .conversation(let row): .conversation(row.conversationId)
            }
        }
    }

    /// The stored rows an event needs.
    public enum RowSelector: Hashable, Sendable {
        /// The conversation's row.
        case conversation(String)
        /// The day's rows, of every subject kind (at most three).
        case day(UTCDay)
    }

    public static let name = "message_volume"

    private var subjectKinds: [String: ConversationSubject.Kind] = [:]
    private var rows = IndexedValues<MessageVolumeRow.Key, MessageVolumeRow>()

    /// No volume yet.
    public init() {}

    /// Volume that knows these conversations' kinds and holds these days' rows.
    public init(restoring rows: [Change]) {
        for row in rows {
            switch row {
            case .upsert(let row): if self.rows.index(of: row.key) == nil { _ = self.rows.append(row, for: row.key) }
            case .conversation(let row): self.subjectKinds[row.conversationId] = row.subjectKind
            }
        }
    }

    public static func rowSelectors(of event: ProjectedEvent) -> [RowSelector] {
        switch event.event {
        case .conversationStarted(let started): [.conversation(started.conversationId), .day(UTCDay(started.occurredAt))]
        case .messageSent(let message): [.conversation(message.conversationId), .day(UTCDay(message.occurredAt))]
        default: []
        }
    }

    public static func selects(_ selector: RowSelector, _ row: Change) -> Bool {
        switch (selector, row) {
        case (.conversation(let id), .conversation(let row)): row.conversationId == id
        case (.day(let day), .upsert(let row)): row.day == day
        default: false
        }
    }

    public var snapshot: [Change] {
        self.rows.values.map(Change.upsert)
            + self.subjectKinds.map { .conversation(VolumeConversationRow(conversationId: $0.key, subjectKind: $0.value)) }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .conversationStarted(let started):
            guard self.subjectKinds[started.conversationId] == nil else { return }
            self.subjectKinds[started.conversationId] = started.subject.kind
            changes.append(.conversation(VolumeConversationRow(conversationId: started.conversationId, subjectKind: started.subject.kind)))
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
