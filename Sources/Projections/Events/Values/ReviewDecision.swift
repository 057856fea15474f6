public import Moderation

/// What staff decided about a message in the review queue.
public enum ReviewDecision: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    /// Nothing wrong: the item leaves the queue; the sender is not told. A message held for
    /// review is released: the recipient gets it now.
    case dismiss
    /// The message is hidden from the participants (the log and the dispute timeline keep it);
    /// the sender is told why.
    case redact
    /// The message stays; the sender is warned, with the reasons (their standing becomes warned).
    case warn
    /// The sender is shadow-restricted from now on (a `StandingChanged` is appended with the
    /// decision); they are not told.
    case restrict
    /// The sender is suspended from now on (a `StandingChanged` is appended with the decision);
    /// they are told why.
    case suspend
}

extension ReviewDecision {
    /// The standing the decision puts the message's sender in, for the decisions that move them.
    public var senderStanding: Standing? {
        switch self {
        case .dismiss, .redact: nil
        case .warn: .warned
        case .restrict: .restricted
        case .suspend: .suspended
        }
    }

    /// Whether the sender is told of the decision (a `message.reviewed` update with its reasons):
    /// not of a dismissal, which clears them, nor of a shadow restriction, which works only while
    /// they do not know of it.
    public var isShownToSender: Bool { self != .dismiss && self != .restrict }
}
