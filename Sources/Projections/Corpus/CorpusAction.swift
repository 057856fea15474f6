import EventLog

/// One line of the corpus (`scripts/corpus.py`) as read: the action's kind, time and
/// fields, each nil when the line lacks it. ``CorpusEvent`` turns it into a catalogue event.
struct CorpusAction {
    var seq: Int?
    var kind: String?
    var at: Timestamp?
    var conversation: String?
    var buyer: String?
    var vendor: String?
    var by: String?
    var sender: String?
    var clientId: String?
    var text: String?
    var attachment: Attachment?
    var recipient: String?
    var reader: String?
    var upTo: String?
    var reason: FlagReason?
    var order: String?
    var state: OrderState?
    var user: String?
    var channel: NotificationChannel?
    var category: NotificationCategory?
    var enabled: Bool?
    var name: String?
    var subject: ConversationSubject?

    /// Reads one line's JSON object; members the corpus does not define are skipped.
    init(json reader: inout JSONReader) throws(JSONError) {
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "seq": self.seq = try reader.read()
            case "kind": self.kind = try reader.read()
            case "at": self.at = try reader.read()
            case "conversation": self.conversation = try reader.read()
            case "buyer": self.buyer = try reader.read()
            case "vendor": self.vendor = try reader.read()
            case "by": self.by = try reader.read()
            case "sender": self.sender = try reader.read()
            case "client_id": self.clientId = try reader.read()
            case "text": self.text = try reader.read()
            case "attachment": self.attachment = try reader.read()
            case "recipient": self.recipient = try reader.read()
            case "reader": self.reader = try reader.read()
            case "up_to": self.upTo = try reader.read()
            case "reason": self.reason = try reader.read()
            case "order": self.order = try reader.read()
            case "state": self.state = try reader.read()
            case "user": self.user = try reader.read()
            case "channel": self.channel = try reader.read()
            case "category": self.category = try reader.read()
            case "enabled": self.enabled = try reader.read()
            case "name": self.name = try reader.read()
            case "subject": self.subject = try Self.subject(&reader)
            default: try reader.skipValue()
            }
        }
    }

    /// Reads the corpus's subject, `{kind, listing?, order?, title?, price_cents?}`.
    private static func subject(_ reader: inout JSONReader) throws(JSONError) -> ConversationSubject {
        var kind: ConversationSubject.Kind?
        var subject = ConversationSubject.general
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "kind": kind = try reader.read()
            case "listing": subject.listingId = try reader.read()
            case "order": subject.orderId = try reader.read()
            case "title": subject.title = try reader.read()
            case "price_cents": subject.priceCents = try reader.read()
            default: try reader.skipValue()
            }
        }
        subject.kind = try reader.required(kind, "subject.kind")
        return subject
    }
}
