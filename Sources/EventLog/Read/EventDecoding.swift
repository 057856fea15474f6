/// Turns a stored row into a ``RecordedEvent``: decompresses the body and splits it into key, metadata and payload.
enum EventDecoding {
    static func decode(
        position: Int64, stream: StreamName, streamVersion: Int, type: EventCatalog.TypeKey, recordedAt: Timestamp,
        hash: [UInt8], body: UnsafeRawBufferPointer, decoder: inout BodyDecoder
    ) throws(EventLogError) -> RecordedEvent {
        let parts = try decoder.withRawBody(body, position: position) { (raw) throws(EventLogError) -> EventBody.Parts in
            guard let parts = EventBody.decode(raw) else {
                throw EventLogError(.corruptEvent, "event \(position): its body is malformed")
            }
            return parts
        }
        return RecordedEvent(
            position: position, stream: stream, streamVersion: streamVersion, type: type.name,
            schemaVersion: type.schemaVersion, recordedAt: recordedAt, idempotencyKey: parts.idempotencyKey,
            metadata: parts.metadata, payload: parts.payload, hash: hash)
    }
}
