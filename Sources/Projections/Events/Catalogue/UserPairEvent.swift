import EventLog

/// An event of one user about another (`UserBlocked`, `UserUnblocked`): the two share one JSON
/// codec, since they differ only in their type.
protocol UserPairEvent: CataloguedEvent {
    var blockerId: String { get }
    var blockedId: String { get }
    init(blockerId: String, blockedId: String, occurredAt: Timestamp)
}

extension UserPairEvent {
    init(json reader: inout JSONReader) throws(JSONError) {
        var blockerId: String?
        var blockedId: String?
        var occurredAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "blockerId": blockerId = try reader.read()
            case "blockedId": blockedId = try reader.read()
            case "occurredAt": occurredAt = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            blockerId: try reader.required(blockerId, "blockerId"),
            blockedId: try reader.required(blockedId, "blockedId"),
            occurredAt: try reader.required(occurredAt, "occurredAt"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("blockerId", self.blockerId)
        writer.field("blockedId", self.blockedId)
        writer.field("occurredAt", self.occurredAt)
        writer.endObject()
    }
}
