import Moderation

/// Every message's text, for staff search across conversations (see ``MessageSearchRow``); a
/// redaction marks the row but keeps the original text, as dispute handling needs it.
public struct MessageSearch: Projection {
    /// A row to write.
    public enum Change: ProjectionChange {
        /// Insert or replace the message's row.
        case upsert(MessageSearchRow)

        public var key: MessageSearchRow.Key {
            switch self {
            case .upsert(let row): row.key
            }
        }
    }

    public static let name = "message_search"

    private var rows = IndexedValues<MessageSearchRow.Key, MessageSearchRow>()

    /// No messages yet.
    public init() {}

    public init(restoring rows: [Change]) {
        for case .upsert(let row) in rows where self.rows.index(of: row.key) == nil { _ = self.rows.append(row, for: row.key) }
    }

    public var snapshot: [Change] { self.rows.values.map(Change.upsert) }

    public static func rowSelectors(of event: ProjectedEvent) -> [MessageSearchRow.Key] {
        switch event.event {
        case .messageSent(let message): [MessageSearchRow.Key(conversationId: message.conversationId, messageId: message.messageId)]
        case .messageRedacted(let redaction): [MessageSearchRow.Key(conversationId: redaction.conversationId, messageId: redaction.messageId)]
        default: []
        }
    }

    public mutating func apply(_ event: ProjectedEvent, into changes: inout [Change]) {
        switch event.event {
        case .messageSent(let message):
            let key = MessageSearchRow.Key(conversationId: message.conversationId, messageId: message.messageId)
            guard self.rows.index(of: key) == nil else { return }
            let body = [message.text, message.attachment?.name ?? ""].filter { !$0.isEmpty }.joined(separator: "\n")
            let row = MessageSearchRow(
                conversationId: message.conversationId, messageId: message.messageId, senderId: message.senderId,
                sentAt: message.occurredAt, body: body, redacted: false,
                fingerprint: Fingerprint(of: message.text, minimumWords: 1).map { Int64(bitPattern: $0.bits) })
            _ = self.rows.append(row, for: key)
            changes.append(.upsert(row))
        case .messageRedacted(let redaction):
            guard let index = self.rows.index(of: MessageSearchRow.Key(conversationId: redaction.conversationId, messageId: redaction.messageId)),
                !self.rows.values[index].redacted
            else { return }
            self.rows.values[index].redacted = true
            changes.append(.upsert(self.rows.values[index]))
        default:
            return
        }
    }
}
