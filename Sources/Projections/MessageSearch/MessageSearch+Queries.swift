public import EventLog
public import Logging
public import PostgresNIO

/// The message search table's read API: staff search, and the checks a send goes through (spam,
/// new-account limits).
extension MessageSearch {
    /// Messages holding every word of `text` (no stemming, any language), newest first, at most
    /// `limit`: the original text, also of redacted messages. Answered from the word index.
    public static func messages(matching text: String, limit: Int, client: PostgresClient, logger: Logger) async throws -> [MessageSearchRow] {
        let rows = try await client.query(
            """
            SELECT conversation_id, message_id, sender_id, (extract(epoch FROM sent_at) * 1000000)::int8, body, redacted
            FROM parley_message_search
            WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', \(text))
            ORDER BY sent_at DESC LIMIT \(limit)
            """, logger: logger)
        var found: [MessageSearchRow] = []
        for try await (conversation, message, sender, sentAt, body, redacted) in rows.decode((String, String, String, Int64, String, Bool).self) {
            found.append(MessageSearchRow(
                conversationId: conversation, messageId: message, senderId: sender, sentAt: Timestamp(microseconds: sentAt), body: body,
                redacted: redacted))
        }
        return found
    }

    /// What the stored table says of a sender, and the log position it reflects: its checkpoint,
    /// read in the same statement as the figures, so the caller adds exactly the log after it.
    public struct StoredActivity: Sendable {
        /// The position the figures reflect.
        public var checkpoint: Int64
        /// When the sender's first message was sent, if any.
        public var firstSentAt: Timestamp?
        /// The sender's messages sent at or after the `countingSince` asked for.
        public var sentSince: Int
        /// Whether the counterpart has a message in the conversation asked about.
        public var counterpartReplied: Bool
        /// The sender's fingerprinted messages since `fingerprintsSince` outside the conversation
        /// (read after the figures, so they cover at least the same events).
        public var fingerprints: [(conversationId: String, fingerprint: Int64)]
    }

    /// The sender's activity as the stored table holds it.
    public static func activity(
        of sender: String, in conversationId: String, counterpart: String, countingSince: Timestamp, fingerprintsSince: Timestamp,
        limit: Int = 1_000, client: PostgresClient, logger: Logger
    ) async throws -> StoredActivity {
        var activity = StoredActivity(checkpoint: 0, firstSentAt: nil, sentSince: 0, counterpartReplied: false, fingerprints: [])
        let figures = try await client.query(
            """
            SELECT (SELECT position FROM parley_projection_checkpoints WHERE projection = \(Self.name)),
                   (SELECT (extract(epoch FROM min(sent_at)) * 1000000)::int8 FROM parley_message_search WHERE sender_id = \(sender)),
                   (SELECT count(*) FROM parley_message_search WHERE sender_id = \(sender)
                      AND sent_at >= TIMESTAMPTZ 'epoch' + \(countingSince.microseconds) * INTERVAL '1 microsecond'),
                   EXISTS (SELECT 1 FROM parley_message_search WHERE conversation_id = \(conversationId) AND sender_id = \(counterpart))
            """, logger: logger)
        for try await (checkpoint, first, count, replied) in figures.decode((Int64?, Int64?, Int64, Bool).self) {
            activity.checkpoint = checkpoint ?? 0
            activity.firstSentAt = first.map(Timestamp.init(microseconds:))
            activity.sentSince = Int(count)
            activity.counterpartReplied = replied
        }
        let rows = try await client.query(
            """
            SELECT conversation_id, fingerprint FROM parley_message_search
            WHERE sender_id = \(sender) AND sent_at >= TIMESTAMPTZ 'epoch' + \(fingerprintsSince.microseconds) * INTERVAL '1 microsecond'
              AND conversation_id <> \(conversationId) AND fingerprint IS NOT NULL
            ORDER BY sent_at DESC LIMIT \(Int64(limit))
            """, logger: logger)
        for try await (conversation, fingerprint) in rows.decode((String, Int64).self) { activity.fingerprints.append((conversation, fingerprint)) }
        return activity
    }
}
