import Moderation

// The moderation pipeline's vocabulary as event members: `MessageModerated` stores decisions in
// the names and shapes the `Moderation` module's `Codable` conformances give them.

extension ModerationAction: JSONStringEnum {}
extension ContactClass: JSONStringEnum {}
extension Obfuscation: JSONStringEnum {}

/// `{"start", "length"}`, in UTF-16 code units.
extension TextSpan: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        var start: Int?, length: Int?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "start": start = try reader.read()
            case "length": length = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(start: try reader.required(start, "start"), length: try reader.required(length, "length"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("start", self.start)
        writer.field("length", self.length)
        writer.endObject()
    }
}

/// `{"contactClass", "rule", "span", "confidence", "obfuscations", "value"}`.
extension ModerationMatch: JSONField {
    init(json reader: inout JSONReader) throws(JSONError) {
        var contactClass: ContactClass?, rule: String?, span: TextSpan?, confidence: Double?
        var obfuscations: [Obfuscation]?, value: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "contactClass": contactClass = try reader.read()
            case "rule": rule = try reader.read()
            case "span": span = try reader.read()
            case "confidence": confidence = try reader.read()
            case "obfuscations": obfuscations = try reader.read()
            case "value": value = try reader.read()
            default: try reader.skipValue()
            }
        }
        self.init(
            contactClass: try reader.required(contactClass, "contactClass"), rule: try reader.required(rule, "rule"),
            span: try reader.required(span, "span"), confidence: try reader.required(confidence, "confidence"),
            obfuscations: try reader.required(obfuscations, "obfuscations"), value: try reader.required(value, "value"))
    }

    func write(json writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("contactClass", self.contactClass)
        writer.field("rule", self.rule)
        writer.field("span", self.span)
        writer.field("confidence", self.confidence)
        writer.field("obfuscations", self.obfuscations)
        writer.field("value", self.value)
        writer.endObject()
    }
}

extension Standing: JSONStringEnum {}
