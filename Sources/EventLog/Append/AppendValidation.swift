/// Checks an append before it is queued, so bad input fails fast and changes nothing.
struct AppendValidation {
    var maxPayloadBytes: Int

    func check(_ request: AppendRequest) throws(EventLogError) {
        guard request.eventCount > 0 else {
            throw EventLogError(.emptyAppend, "the append holds no events; send at least one")
        }
        var streams: [StreamName: ExpectedVersion] = [:]
        var keys = Set<String>()
        for part in request.streams {
            // A stream may come back in a later part (events of other streams between its own)
            // only when no part of it states a version: "expected version" of a part in the
            // middle of a request would have no clear meaning.
            if let earlier = streams.updateValue(part.expectedVersion, forKey: part.stream), earlier != .any || part.expectedVersion != .any {
                throw EventLogError(
                    .invalidEvent,
                    "stream \(part.stream) appears twice in one append with an expected version; put its events in one list, or expect any version")
            }
            if case .exactly(let version) = part.expectedVersion, version < 0 {
                throw EventLogError(.invalidEvent, "expected version \(version) of \(part.stream) is negative")
            }
            for event in part.events {
                try self.check(event, in: part.stream)
                if let key = event.idempotencyKey, !keys.insert(key).inserted {
                    throw EventLogError(.duplicateIdempotencyKey, "idempotency key \"\(key)\" appears twice in one append")
                }
            }
        }
    }

    private func check(_ event: EventData, in stream: StreamName) throws(EventLogError) {
        if event.payload.count > self.maxPayloadBytes {
            throw EventLogError(
                .payloadTooLarge,
                "a \(event.type) payload for \(stream) is \(event.payload.count) bytes; the limit is \(self.maxPayloadBytes)")
        }
        let type = Array(event.type.utf8)
        let allowed: (UInt8) -> Bool = { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
        guard (1...100).contains(type.count), type.allSatisfy(allowed) else {
            throw EventLogError(.invalidEvent, "event type \"\(event.type)\" must be 1 to 100 letters, digits, '.', '_' or '-'")
        }
        guard (1...Int(Int16.max)).contains(event.schemaVersion) else {
            throw EventLogError(.invalidEvent, "schema version \(event.schemaVersion) of \(event.type) must be 1 to 32767")
        }
        for (name, value) in [
            ("idempotency key", event.idempotencyKey), ("actor", event.metadata.actor),
            ("causation id", event.metadata.causationId), ("correlation id", event.metadata.correlationId),
        ] {
            guard let value else { continue }
            guard (1...256).contains(value.utf8.count) else {
                throw EventLogError(.invalidEvent, "the \(name) of a \(event.type) must be 1 to 256 bytes")
            }
        }
    }
}
