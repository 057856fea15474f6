import EventLog

/// A participant's watermark in a conversation (`MessageDelivered`, `MessageRead`): the two share
/// one JSON codec and differ in their type and in the member naming the participant.
protocol WatermarkEvent: CataloguedEvent {
    /// The JSON member that names the participant (`recipientId`, `readerId`).
    static var participantKey: StaticString { get }
    var conversationId: String { get }
    var participantId: String { get }
    var upToMessageId: String { get }
    init(conversationId: String, participantId: String, upToMessageId: String, occurredAt: Timestamp)
}

extension WatermarkEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var conversationId: String?
        var participantId: String?
        var upToMessageId: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "conversationId": conversationId = try reader.read()
            case Self.participantKey: participantId = try reader.read()
            case "upToMessageId": upToMessageId = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            conversationId: try reader.required(conversationId, "conversationId"),
            participantId: try reader.required(participantId, Self.participantKey.description),
            upToMessageId: try reader.required(upToMessageId, "upToMessageId"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conversationId", self.conversationId)
        writer.field(Self.participantKey.description, self.participantId)
        writer.field("upToMessageId", self.upToMessageId)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
