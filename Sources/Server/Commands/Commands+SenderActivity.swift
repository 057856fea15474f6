import EventLog
import Moderation
import Projections

extension Commands {
    /// What the checks of a send need to know of its sender, from committed state: the stored
    /// message search up to its checkpoint (figures and checkpoint read in one statement) plus the
    /// log after the checkpoint, so a burst through several instances counts exactly whatever
    /// the projector's lag.
    struct SenderActivity: Sendable {
        /// When the sender's first message was sent; nil before their first.
        var firstSentAt: Timestamp?
        /// The sender's messages of the last hour.
        var sentInLastHour = 0
        /// Whether the counterpart has sent a message in this conversation.
        var counterpartReplied = false
        /// The sender's fingerprinted messages in other conversations within the spam window.
        var recent: [(conversationId: String, fingerprint: Fingerprint)] = []
    }

    /// Reads ``SenderActivity`` under the send path's read deadline.
    /// - Throws: ``APIError`` 503 when the reads fail or do not finish in time.
    func senderActivity(of sender: String, in conversationId: String, counterpart: String, at now: Timestamp) async throws(APIError) -> SenderActivity {
        let hourAgo = Timestamp(microseconds: now.microseconds - 3_600_000_000)
        let spamSince = Timestamp(microseconds: now.microseconds - Int64(self.spamPolicy.windowSeconds) * 1_000_000)
        let (log, recent) = (self.log, self.recent)
        do {
            return try await withDeadline(Self.readDeadline, "reading the sender's recent messages") {
                let stored = try await MessageSearch.activity(
                    of: sender, in: conversationId, counterpart: counterpart, countingSince: hourAgo, fingerprintsSince: spamSince,
                    client: log.client, logger: log.logger)
                var activity = SenderActivity(
                    firstSentAt: stored.firstSentAt, sentInLastHour: stored.sentSince, counterpartReplied: stored.counterpartReplied,
                    recent: stored.fingerprints.map { ($0.conversationId, Fingerprint(bits: UInt64(bitPattern: $0.fingerprint))) })
                try await recent.forEach(after: stored.checkpoint, types: [MessageSent.eventType]) { later in
                    guard case .messageSent(let sent) = later.event else { return }
                    if sent.senderId == counterpart && sent.conversationId == conversationId { activity.counterpartReplied = true }
                    guard sent.senderId == sender else { return }
                    activity.firstSentAt = min(activity.firstSentAt ?? sent.occurredAt, sent.occurredAt)
                    if sent.occurredAt >= hourAgo { activity.sentInLastHour += 1 }
                    if sent.conversationId != conversationId, sent.occurredAt >= spamSince,
                        let fingerprint = Fingerprint(of: sent.text, minimumWords: 1)
                    {
                        activity.recent.append((sent.conversationId, fingerprint))
                    }
                }
                return activity
            }
        } catch let error as EventLogError {
            throw APIError(error)
        } catch {
            throw APIError.unavailable("the sender's recent messages could not be read: \(error)")
        }
    }

    /// Whether a message to `recipient` is spam under the spam policy: the same or nearly the
    /// same text sent to other people within the window, each counted once however many
    /// conversations the sender has with them. A vendor's own saved template sent as that template
    /// is exempt, and so are messages shorter than the policy's minimum.
    func spamVerdict(of draft: MessageDraft, by sender: String, to recipient: String, activity: SenderActivity) async throws(APIError) -> SpamVerdict {
        let policy = self.spamPolicy
        guard let fingerprint = Fingerprint(of: draft.text, minimumWords: policy.minimumWords) else { return .clean }
        if let templateId = draft.templateId, let template = try await self.settings(of: sender).templates[templateId],
            let saved = Fingerprint(of: template.text, minimumWords: 1), policy.isNearDuplicate(saved, of: fingerprint)
        {
            return .clean
        }
        // Only near duplicates need their recipient: who is the other side of their conversation.
        var counterparts: [String: String] = [:]
        var recent: [(recipient: String, fingerprint: Fingerprint)] = []
        for sent in activity.recent where policy.isNearDuplicate(sent.fingerprint, of: fingerprint) {
            var counterpart = counterparts[sent.conversationId]
            if counterpart == nil {
                let parties = try await self.conversation(sent.conversationId)
                counterpart = parties.buyerId == sender ? parties.vendorId : parties.buyerId
                counterparts[sent.conversationId] = counterpart
            }
            if let counterpart { recent.append((counterpart, sent.fingerprint)) }
        }
        return policy.judge(fingerprint, to: recipient, recent: recent)
    }
}
