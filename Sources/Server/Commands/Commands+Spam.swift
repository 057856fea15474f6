import EventLog
import Moderation
import Projections

extension Commands {
    /// Whether a message is spam under the spam policy: the same or nearly the same text sent by
    /// `sender` to other conversations within the window, counted over committed state (the stored
    /// message search up to its checkpoint, and the log after it). A vendor's own saved template
    /// sent as that template is exempt, and so are messages shorter than the policy's minimum.
    /// - Throws: ``APIError`` 503 when the reads fail or do not finish in time.
    func spamVerdict(of draft: MessageDraft, by sender: String, in conversationId: String, at now: Timestamp) async throws(APIError) -> SpamVerdict {
        let policy = self.spamPolicy
        guard let fingerprint = Fingerprint(of: draft.text, minimumWords: policy.minimumWords) else { return .clean }
        if let templateId = draft.templateId, let template = try await self.settings(of: sender).templates[templateId],
            let saved = Fingerprint(of: template.text, minimumWords: 1), saved.distance(to: fingerprint) <= policy.maxDistance
        {
            return .clean
        }
        let since = Timestamp(microseconds: now.microseconds - Int64(policy.windowSeconds) * 1_000_000)
        let log = self.log
        let here = try? StreamName.conversation(conversationId)
        do {
            let recent = try await withDeadline(Self.readDeadline, "reading the sender's recent messages") {
                let stored = try await MessageSearch.recentFingerprints(of: sender, since: since, excluding: conversationId, client: log.client, logger: log.logger)
                var recent = stored.messages.map { ($0.conversationId, Fingerprint(bits: UInt64(bitPattern: $0.fingerprint))) }
                var after = stored.checkpoint
                while true {
                    let page = try await log.read(after: after, limit: 1_000)
                    // Only other conversations' messages are decoded: the log after the checkpoint is
                    // as long as the projection's lag, and most of it is not this sender's.
                    for recorded in page where recorded.type == MessageSent.eventType && recorded.stream != here {
                        guard case .messageSent(let sent)? = try? ProjectedEvent(recorded).event, sent.senderId == sender,
                            sent.conversationId != conversationId, sent.occurredAt >= since,
                            let fingerprint = Fingerprint(of: sent.text, minimumWords: 1)
                        else { continue }
                        recent.append((sent.conversationId, fingerprint))
                    }
                    guard page.count == 1_000, let last = page.last else { break }
                    after = last.position
                }
                return recent
            }
            return policy.judge(fingerprint, recent: recent.map { (conversationId: $0.0, fingerprint: $0.1) })
        } catch let error as EventLogError {
            throw APIError(error)
        } catch {
            throw APIError.unavailable("the sender's recent messages could not be read: \(error)")
        }
    }
}
