/// What staff decided about a message in the review queue.
public enum ReviewDecision: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    /// Nothing wrong: the item leaves the queue; the sender is not told.
    case dismiss
    /// The message is hidden from the participants (the log and the dispute timeline keep it);
    /// the sender is told why.
    case redact
    /// The message stays; the sender is warned, with the reasons.
    case warn
}
