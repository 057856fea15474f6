/// Rewrites a payload of one schema version of an event type as the next version, so events
/// written long ago still read as today's types. Upcasters chain: v1 → v2 → … → current.
struct Upcaster: Sendable {
    /// The event type it applies to.
    let eventType: String
    /// The version it reads; it writes `fromVersion + 1`.
    let fromVersion: Int
    /// Rewrites the payload in place.
    let rewrite: @Sendable (inout JSONValue) -> Void

    /// Every upcaster, whatever the type.
    static let all: [Upcaster] = [.messageSentV1, .messageSentV2, .flagReviewedV1]

    /// Rewrites a payload of `type` from version `from` to version `to` through the chain.
    /// - Throws: ``ProjectionError`` `.unsupportedSchemaVersion` when `from` is newer than `to` or a
    ///   step has no upcaster; `.invalidPayload` when the payload is not JSON.
    static func upcast(type: String, from: Int, to: Int, payload: [UInt8]) throws(ProjectionError) -> [UInt8] {
        guard from < to else {
            throw ProjectionError(
                .unsupportedSchemaVersion,
                "\(type) schema version \(from) is newer than this build reads (\(to)); upgrade Parley to read it")
        }
        var value: JSONValue
        do {
            value = try JSONValue(parsing: payload)
        } catch {
            throw ProjectionError(.invalidPayload, "\(type) v\(from) payload is not JSON: \(error)")
        }
        for version in from..<to {
            guard let step = Self.all.first(where: { $0.eventType == type && $0.fromVersion == version }) else {
                throw ProjectionError(
                    .unsupportedSchemaVersion,
                    "\(type) schema version \(version) cannot be read: no upcaster leads from it to version \(version + 1)")
            }
            step.rewrite(&value)
        }
        return value.bytes
    }
}
