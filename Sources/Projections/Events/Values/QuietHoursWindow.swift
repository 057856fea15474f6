/// A daily span of local time in which a user gets no notifications.
public struct QuietHoursWindow: Codable, Hashable, Sendable {
    /// The days on which the window starts; empty means every day.
    public var days: [Weekday]
    /// Minutes after local midnight at which the window starts, 0 to 1439.
    public var startMinute: Int
    /// Minutes after local midnight at which it ends; less than ``startMinute`` when it spans midnight.
    public var endMinute: Int

    /// Creates a window.
    public init(days: [Weekday] = [], startMinute: Int, endMinute: Int) {
        self.days = days
        self.startMinute = startMinute
        self.endMinute = endMinute
    }
}

extension QuietHoursWindow: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        var days: [Weekday]?, start: Int?, end: Int?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "days": days = try reader.read()
            case "startMinute": start = try reader.read()
            case "endMinute": end = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            days: try reader.required(days, "days"), startMinute: try reader.required(start, "startMinute"),
            endMinute: try reader.required(end, "endMinute"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("days", self.days)
        writer.field("startMinute", self.startMinute)
        writer.field("endMinute", self.endMinute)
        writer.endObject()
    }
}
