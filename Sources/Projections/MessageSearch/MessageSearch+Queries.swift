public import EventLog
public import Logging
public import PostgresNIO

/// The message search table's read API for spam checks.
extension MessageSearch {
    /// A sender's fingerprinted messages since `since`, outside one conversation, as the stored
    /// table holds them, and the log position the table reflects (its checkpoint, read first, so
    /// the rows cover at least every message up to it; a caller reads the log after it for the rest).
    public static func recentFingerprints(
        of sender: String, since: Timestamp, excluding conversationId: String, limit: Int = 1_000, client: PostgresClient, logger: Logger
    ) async throws -> (checkpoint: Int64, messages: [(conversationId: String, fingerprint: Int64)]) {
        var checkpoint: Int64 = 0
        for try await position in try await client.query(
            "SELECT position FROM parley_projection_checkpoints WHERE projection = \(Self.name)", logger: logger
        ).decode(Int64.self) {
            checkpoint = position
        }
        let rows = try await client.query(
            """
            SELECT conversation_id, fingerprint FROM parley_message_search
            WHERE sender_id = \(sender) AND sent_at >= TIMESTAMPTZ 'epoch' + \(since.microseconds) * INTERVAL '1 microsecond'
              AND conversation_id <> \(conversationId) AND fingerprint IS NOT NULL
            ORDER BY sent_at DESC LIMIT \(Int64(limit))
            """, logger: logger)
        var messages: [(conversationId: String, fingerprint: Int64)] = []
        for try await (conversation, fingerprint) in rows.decode((String, Int64).self) { messages.append((conversation, fingerprint)) }
        return (checkpoint, messages)
    }
}
