/// What is known of a file attached to a message; the file itself lives elsewhere.
public struct Attachment: Codable, Hashable, Sendable {
    /// The file's name as the sender gave it, e.g. `damage.png`.
    public var name: String
    /// The file's media type, e.g. `image/png`, if known.
    public var contentType: String?
    /// The file's size in bytes.
    public var bytes: Int64

    /// Creates attachment metadata.
    public init(name: String, contentType: String? = nil, bytes: Int64) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }
}

extension Attachment: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        var name: String?, contentType: String?, bytes: Int64?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": name = try reader.read()
            case "contentType": contentType = try reader.readOptional()
            case "bytes": bytes = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(name: try reader.required(name, "name"), contentType: contentType, bytes: try reader.required(bytes, "bytes"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("name", self.name)
        writer.field("contentType", self.contentType)
        writer.field("bytes", self.bytes)
        writer.endObject()
    }
}
