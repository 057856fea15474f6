/// Stricter limits for accounts that have only just started sending: a new account may send
/// fewer messages an hour, and may send links and attachments in a conversation only once the
/// other participant has replied there.
///
/// "New" is measured from the account's first message on the marketplace, so an account that
/// has sent nothing yet is new. Defaults: new for 24 hours, 30 messages an hour.
public struct NewAccountPolicy: Sendable, Codable, Hashable {
    /// How long after its first message an account counts as new, in seconds. Default 86,400.
    public var newForSeconds: Int
    /// Messages a new account may send in any hour. Default 30.
    public var messagesPerHour: Int
    /// Whether a new account's links and attachments wait for the counterpart's first reply. Default true.
    public var holdLinksAndAttachmentsUntilReply: Bool

    /// Creates a policy; every parameter has the documented default.
    public init(newForSeconds: Int = 86_400, messagesPerHour: Int = 30, holdLinksAndAttachmentsUntilReply: Bool = true) {
        self.newForSeconds = newForSeconds
        self.messagesPerHour = messagesPerHour
        self.holdLinksAndAttachmentsUntilReply = holdLinksAndAttachmentsUntilReply
    }

    /// What a send is.
    ///
    /// - Parameters:
    ///   - firstMessageAge: Seconds since the sender's first message, nil when this is their first.
    ///   - sentInLastHour: The sender's messages of the last hour, this one not included.
    ///   - carriesLinkOrAttachment: Whether the message has an attachment or a link moderation found.
    ///   - counterpartReplied: Whether the other participant has sent a message in this conversation.
    public func judge(
        firstMessageAge: Int?, sentInLastHour: Int, carriesLinkOrAttachment: Bool, counterpartReplied: Bool
    ) -> NewAccountVerdict {
        guard let age = firstMessageAge, age >= self.newForSeconds else {
            if sentInLastHour >= self.messagesPerHour { return .tooManyMessages(limit: self.messagesPerHour) }
            if self.holdLinksAndAttachmentsUntilReply && carriesLinkOrAttachment && !counterpartReplied { return .holdUntilReply }
            return .allowed
        }
        return .allowed
    }
}

/// What a send is under a ``NewAccountPolicy``.
public enum NewAccountVerdict: Sendable, Hashable {
    /// Within the limits, or not a new account.
    case allowed
    /// A new account reached its messages per hour.
    case tooManyMessages(limit: Int)
    /// A new account's link or attachment, before the other participant replied.
    case holdUntilReply
}
