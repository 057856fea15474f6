import EventLog
import Testing

@testable import Projections

@Suite("Corpus mapping")
struct CorpusEventTests {
    /// Lines as `scripts/corpus.py --conversations 300 --seed 7` writes them.
    private enum Line {
        static let started = #"{"seq":2,"at":"2026-03-01T00:02:21.430Z","kind":"conversation_started","conversation":"c-0000140","buyer":"u-000035","vendor":"u-000001","subject":{"kind":"listing","listing":"l-0650218","title":"Wool scarf","price_cents":4500},"by":"u-000035"}"#
        static let startedAboutOrder = #"{"seq":7,"at":"2026-03-01T00:07:20.546Z","kind":"conversation_started","conversation":"c-0000135","buyer":"u-000141","vendor":"u-000007","subject":{"kind":"order","order":"o-0000135","title":"Oak dining table"},"by":"u-000141"}"#
        static let startedGeneral = #"{"seq":6,"at":"2026-03-01T00:07:02.920Z","kind":"conversation_started","conversation":"c-0000219","buyer":"u-000072","vendor":"u-000012","subject":{"kind":"general"},"by":"u-000072"}"#
        static let sent = #"{"seq":5,"at":"2026-03-01T00:07:01.259Z","kind":"message_sent","conversation":"c-0000140","sender":"u-000035","client_id":"c-0000140-m001","text":"Hello, does this wool scarf come in terracotta?"}"#
        static let sentWithAttachment = #"{"seq":47,"at":"2026-03-01T00:19:04.541Z","kind":"message_sent","conversation":"c-0000061","sender":"u-000120","client_id":"c-0000061-m001","text":"I'd like to order 20 units of the baby stroller, is there a discount?","attachment":{"name":"damage.png","bytes":2247649}}"#
        static let delivered = #"{"seq":10,"at":"2026-03-01T00:07:57.250Z","kind":"message_delivered","conversation":"c-0000140","recipient":"u-000001","up_to":"c-0000140-m001"}"#
        static let read = #"{"seq":11,"at":"2026-03-01T00:08:18.016Z","kind":"message_read","conversation":"c-0000140","reader":"u-000001","up_to":"c-0000140-m001"}"#
        static let flagged = #"{"seq":382,"at":"2026-03-01T00:49:06.106Z","kind":"message_flagged","conversation":"c-0000085","by":"u-000011","client_id":"c-0000085-m001","reason":"off_platform"}"#
        static let order = #"{"seq":89,"at":"2026-03-01T00:23:10.090Z","kind":"order_state_changed","order":"o-0000007","buyer":"u-000107","vendor":"u-000012","state":"in_progress"}"#
        static let preference = #"{"seq":243,"at":"2026-03-01T00:39:31.190Z","kind":"preference_changed","user":"u-000003","channel":"email","category":"order_update","enabled":false}"#
        static let template = #"{"seq":1,"at":"2026-03-01T00:01:39.428Z","kind":"template_saved","vendor":"u-000000","name":"shipping","text":"We ship within 2 business days with tracked delivery."}"#
    }

    private static func map(_ line: String) throws -> CorpusEvent { try CorpusEvent(line: Array(line.utf8)) }
    private static func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    @Test("conversation_started: a listing, an order or a general subject, started by the buyer")
    func started() throws {
        let listing = try Self.map(Line.started)
        #expect(listing.event == .conversationStarted(ConversationStarted(
            conversationId: "c-0000140", buyerId: "u-000035", vendorId: "u-000001", startedBy: "u-000035",
            subject: .listing(id: "l-0650218", title: "Wool scarf", priceCents: 4500), occurredAt: Self.at("2026-03-01T00:02:21.430Z"))))
        #expect(listing.stream.description == "conversation-c-0000140")
        #expect(listing.metadata == EventMetadata(actor: "user:u-000035"))
        #expect(listing.idempotencyKey == nil)
        guard case .conversationStarted(let order) = try Self.map(Line.startedAboutOrder).event,
            case .conversationStarted(let general) = try Self.map(Line.startedGeneral).event
        else {
            Issue.record("expected conversations")
            return
        }
        #expect(order.subject == .order(id: "o-0000135", title: "Oak dining table"))
        #expect(general.subject == .general)
    }

    @Test("message_sent: client_id becomes the message id, the client message id and the idempotency key")
    func sent() throws {
        let mapped = try Self.map(Line.sent)
        #expect(mapped.event == .messageSent(MessageSent(
            conversationId: "c-0000140", messageId: "c-0000140-m001", clientMessageId: "c-0000140-m001", senderId: "u-000035",
            text: "Hello, does this wool scarf come in terracotta?", automated: false, occurredAt: Self.at("2026-03-01T00:07:01.259Z"))))
        #expect(mapped.stream.description == "conversation-c-0000140")
        #expect(mapped.idempotencyKey == "message:c-0000140:c-0000140-m001")
        #expect(mapped.metadata.actor == "user:u-000035")
        guard case .messageSent(let withAttachment) = try Self.map(Line.sentWithAttachment).event else {
            Issue.record("expected a message")
            return
        }
        #expect(withAttachment.attachment == Attachment(name: "damage.png", bytes: 2_247_649))
    }

    @Test("receipts name the message by its client_id, which is its id")
    func receipts() throws {
        let delivered = try Self.map(Line.delivered)
        #expect(delivered.event == .messageDelivered(MessageDelivered(
            conversationId: "c-0000140", recipientId: "u-000001", upToMessageId: "c-0000140-m001", occurredAt: Self.at("2026-03-01T00:07:57.250Z"))))
        #expect(delivered.metadata.actor == "user:u-000001")
        let read = try Self.map(Line.read)
        #expect(read.event == .messageRead(MessageRead(
            conversationId: "c-0000140", readerId: "u-000001", upToMessageId: "c-0000140-m001", occurredAt: Self.at("2026-03-01T00:08:18.016Z"))))
        #expect(read.stream == delivered.stream)
        // The watermark covers the message the corpus sent, in every projection that keeps receipts.
        var receipts = Receipts()
        for (position, event) in try [Line.started, Line.sent, Line.delivered, Line.read].map(Self.map).enumerated() {
            _ = receipts.apply(ProjectedEvent(
                position: Int64(position + 1), stream: event.stream, streamVersion: position + 1, recordedAt: event.event.occurredAt,
                actor: event.metadata.actor, event: event.event))
        }
        let receipt = receipts.receipt(conversation: "c-0000140", message: "c-0000140-m001", recipient: "u-000001")
        #expect(receipt?.readAt == Self.at("2026-03-01T00:08:18.016Z"))
    }

    @Test("message_flagged: a user's flag on the message its client_id names")
    func flagged() throws {
        let mapped = try Self.map(Line.flagged)
        #expect(mapped.event == .messageFlagged(MessageFlagged(
            conversationId: "c-0000085", messageId: "c-0000085-m001", flaggedBy: "u-000011", reason: .offPlatform, source: .user,
            occurredAt: Self.at("2026-03-01T00:49:06.106Z"))))
        #expect(mapped.metadata.actor == "user:u-000011")
    }

    @Test("order_state_changed goes to the order's stream, reported by the platform")
    func order() throws {
        let mapped = try Self.map(Line.order)
        #expect(mapped.event == .orderStateChanged(OrderStateChanged(
            orderId: "o-0000007", buyerId: "u-000107", vendorId: "u-000012", state: .inProgress, occurredAt: Self.at("2026-03-01T00:23:10.090Z"))))
        #expect(mapped.stream.description == "order-o-0000007")
        #expect(mapped.metadata.actor == "platform")
    }

    @Test("preference_changed and template_saved go to the user's stream")
    func userStream() throws {
        let preference = try Self.map(Line.preference)
        #expect(preference.event == .notificationPreferenceChanged(NotificationPreferenceChanged(
            userId: "u-000003", channel: .email, category: .orderUpdate, enabled: false, occurredAt: Self.at("2026-03-01T00:39:31.190Z"))))
        #expect(preference.stream.description == "user-u-000003")
        #expect(preference.metadata.actor == "user:u-000003")
        let template = try Self.map(Line.template)
        #expect(template.event == .replyTemplateSaved(ReplyTemplateSaved(
            vendorId: "u-000000", templateId: "shipping", name: "shipping", text: "We ship within 2 business days with tracked delivery.",
            occurredAt: Self.at("2026-03-01T00:01:39.428Z"))))
        #expect(template.stream.description == "user-u-000000")
        #expect(template.metadata.actor == "user:u-000000")
    }

    @Test("eventData carries the type, the current schema version and a payload that decodes to the event")
    func eventData() throws {
        let lines = [
            Line.started, Line.startedAboutOrder, Line.startedGeneral, Line.sent, Line.sentWithAttachment, Line.delivered, Line.read,
            Line.flagged, Line.order, Line.preference, Line.template,
        ]
        for line in lines {
            let mapped = try Self.map(line)
            let data = mapped.eventData
            #expect(data.type == mapped.event.typeName)
            #expect(data.metadata == mapped.metadata)
            #expect(data.idempotencyKey == mapped.idempotencyKey)
            #expect(try DomainEvent.decode(type: data.type, schemaVersion: data.schemaVersion, payload: data.payload) == mapped.event)
        }
    }

    @Test(
        "lines that are not corpus actions are refused with the problem named",
        arguments: [
            (#"{"seq":3,"at":"2026-03-01T00:00:00.000Z","kind":"message_sent","conversation":"c-1","sender":"u-1","text":"hi"}"#,
             #"corpus line with seq 3: a message_sent action needs "client_id""#),
            (#"{"seq":4,"at":"2026-03-01T00:00:00.000Z","kind":"message_edited"}"#, #"its kind "message_edited" is unknown"#),
            (#"{"seq":5,"at":"yesterday","kind":"message_read"}"#, "is not a UTC time"),
            (#"{"seq":6,"at":"2026-03-01T00:00:00.000Z","kind":"order_state_changed","order":"o-1","buyer":"u","vendor":"v","state":"lost"}"#,
             #""lost" is not one of"#),
            (#"{"seq":7,"at":"2026-03-01T00:00:00.000Z","kind":"preference_changed","user":"has space","channel":"sms","category":"marketing","enabled":true}"#,
             "cannot name a stream"),
            (#"{"seq":8,"kind":"message_read"}"#, #"a message_read action needs "at""#),
            ("not json", "corpus line is not an action"),
        ])
    func invalid(line: String, problem: String) {
        let error = #expect(throws: ProjectionError.self) { try Self.map(line) }
        #expect(error?.code == .invalidCorpusAction)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("scripts/corpus.py") == true)
    }
}
