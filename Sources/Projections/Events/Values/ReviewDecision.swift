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
    /// The sender is restored to good standing (a `StandingChanged` to `good` is appended with the
    /// decision, unless they are in good standing already); they are told why. Nothing else is
    /// undone: a redaction stays (the dispute timeline keeps the original text), and a message held
    /// for review stays held until it is dismissed.
    case restore
}

extension ReviewDecision {
    /// The standing the decision moves the message's sender to from `current`, or nil when it
    /// leaves them where they are: `warn`, `restrict` and `suspend` only ever raise a standing,
    /// `restore` only ever lowers one (to `good`), `dismiss` and `redact` move nobody.
    public func senderStanding(from current: Standing) -> Standing? {
        let target: Standing
        switch self {
        case .dismiss, .redact: return nil
        case .warn: target = .warned
        case .restrict: target = .restricted
        case .suspend: target = .suspended
        case .restore: return current == .good ? nil : .good
        }
        return current < target ? target : nil
    }

    /// Whether the decision may move the sender's standing (all but `dismiss` and `redact`).
    public var concernsStanding: Bool { self != .dismiss && self != .redact }

    /// Whether the sender is told of the decision (a `message.reviewed` update with its reasons):
    /// not of a dismissal, which clears them, nor of a shadow restriction, which works only while
    /// they do not know of it.
    public var isShownToSender: Bool { self != .dismiss && self != .restrict }
}
