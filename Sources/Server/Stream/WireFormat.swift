import EventLog
import Projections

/// How inbox rows, updates and history items look on the wire, shared by the HTTP API and the
/// stream so a client parses one shape. Frames are written with ``JSONWriter``: an update's event
/// data is the event's own JSON (its schema is in `schemas/events/`), trimmed where the receiver
/// may not see all of it.
enum WireFormat {
    /// Writes an inbox row; `version` is the conversation's version, in snapshots.
    static func write(_ row: InboxRow, version: Int? = nil, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("conversationId")
        writer.string(row.conversationId)
        if let version {
            writer.key("version")
            writer.int(Int64(version))
        }
        writer.key("counterpart")
        writer.beginObject()
        writer.key("id")
        writer.string(row.counterpartId)
        writer.key("role")
        writer.string(row.counterpartRole.rawValue)
        writer.key("name")
        self.optional(row.counterpartName, into: &writer)
        writer.endObject()
        writer.key("subject")
        writer.beginObject()
        writer.key("kind")
        writer.string(row.subject.kind.rawValue)
        writer.key("listingId")
        self.optional(row.subject.listingId, into: &writer)
        writer.key("orderId")
        self.optional(row.subject.orderId, into: &writer)
        writer.key("title")
        self.optional(row.subject.title, into: &writer)
        writer.key("priceCents")
        if let price = row.subject.priceCents { writer.int(price) } else { writer.null() }
        writer.key("orderState")
        self.optional(row.orderState?.rawValue, into: &writer)
        writer.endObject()
        writer.key("lastMessage")
        if let id = row.lastMessageId {
            writer.beginObject()
            writer.key("id")
            writer.string(id)
            writer.key("preview")
            self.optional(row.lastMessagePreview, into: &writer)
            writer.key("redacted")
            writer.bool(row.lastMessageRedacted)
            writer.key("senderId")
            self.optional(row.lastMessageSenderId, into: &writer)
            writer.key("at")
            self.optional(row.lastMessageAt?.description, into: &writer)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("lastActivityAt")
        writer.string(row.lastActivityAt.description)
        writer.key("unreadCount")
        writer.int(Int64(row.unreadCount))
        writer.key("awaitingReply")
        writer.bool(row.awaitingReply)
        writer.key("blocked")
        writer.bool(row.blocked)
        writer.key("blockedByCounterpart")
        writer.bool(row.blockedByCounterpart)
        writer.key("muted")
        writer.bool(row.muted)
        writer.endObject()
    }

    /// The `update` frame of a user's update.
    static func frame(_ update: UserUpdate) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("type")
        writer.string("update")
        self.writeBody(of: update, into: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// The members every durable item shares (an update frame, a history item).
    static func writeBody(of update: UserUpdate, into writer: inout JSONWriter) {
        writer.key("offset")
        writer.int(update.position)
        writer.key("stream")
        writer.string(update.stream.description)
        writer.key("version")
        writer.int(Int64(update.streamVersion))
        writer.key("kind")
        writer.string(update.kind.rawValue)
        writer.key("at")
        writer.string(update.recordedAt.description)
        if let event = update.event {
            writer.key("data")
            self.write(event, into: &writer)
        }
        if update.redacted {
            writer.key("redacted")
            writer.bool(true)
        }
        if !update.inbox.isEmpty {
            writer.key("inbox")
            writer.beginArray()
            for row in update.inbox { self.write(row, into: &writer) }
            writer.endArray()
        }
    }

    /// An event's data as a participant sees it: a redaction names the message, not the staff
    /// member or their reason; everything else is the event's JSON.
    static func write(_ event: DomainEvent, into writer: inout JSONWriter) {
        if case .messageRedacted(let redaction) = event {
            writer.beginObject()
            writer.key("conversationId")
            writer.string(redaction.conversationId)
            writer.key("messageId")
            writer.string(redaction.messageId)
            writer.key("occurredAt")
            writer.string(redaction.occurredAt.description)
            writer.endObject()
        } else {
            writer.raw(event.encode())
        }
    }

    /// Writes a string, or `null`.
    static func optional(_ value: String?, into writer: inout JSONWriter) {
        if let value { writer.string(value) } else { writer.null() }
    }
}
