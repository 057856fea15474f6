extension DomainEvent {
    /// The event's JSON payload, as stored in `EventData.payload`, in the current schema version.
    public func encode() -> [UInt8] {
        var writer = JSONWriter()
        self.catalogued.write(json: &writer)
        return writer.bytes
    }

    /// Reads a payload of the given type and schema version; older versions are upcast to the current type.
    /// - Throws: ``ProjectionError`` with code `.unknownEventType` for a type not in the catalogue,
    ///   `.unsupportedSchemaVersion` for a version newer than this build or with no upcaster, and
    ///   `.invalidPayload` when the JSON does not match the type's schema.
    public static func decode(type: String, schemaVersion: Int, payload: [UInt8]) throws(ProjectionError) -> DomainEvent {
        guard let eventType = Self.catalogueByName[type] else {
            throw ProjectionError(.unknownEventType, "event type \"\(type)\" is not in the catalogue; known types: \(Self.typeList)")
        }
        if schemaVersion == eventType.schemaVersion {
            return try Self.read(eventType, payload: payload, version: schemaVersion)
        }
        let current = try Upcaster.upcast(type: type, from: schemaVersion, to: eventType.schemaVersion, payload: payload)
        return try Self.read(eventType, payload: current, version: eventType.schemaVersion)
    }

    private static let catalogueByName: [String: any CataloguedEvent.Type] = Dictionary(
        uniqueKeysWithValues: Self.catalogue.map { ($0.eventType, $0) })

    private static var typeList: String { Self.catalogue.map { $0.eventType }.joined(separator: ", ") }

    private static func read(
        _ eventType: any CataloguedEvent.Type, payload: [UInt8], version: Int
    ) throws(ProjectionError) -> DomainEvent {
        do {
            return try payload.withUnsafeBufferPointer { (bytes) throws(JSONError) -> DomainEvent in
                var reader = JSONReader(bytes)
                let event = try eventType.readEvent(&reader)
                try reader.finish()
                return event
            }
        } catch {
            let name = eventType.eventType
            throw ProjectionError(
                .invalidPayload, "\(name) v\(version) payload is invalid: \(error); it must match schemas/events/\(name).v\(version).json")
        }
    }
}
