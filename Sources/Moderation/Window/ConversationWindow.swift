/// The sender's previous messages in one conversation, oldest first, so a phone number or an
/// address sent in pieces ("0791", "1 123", "456") is still recognised.
public struct ConversationWindow: Sendable, Codable, Hashable {
    /// The sender's previous messages, oldest first.
    public var previousMessages: [String]

    /// A window with no previous messages.
    public static let empty = ConversationWindow()

    /// Creates a window over the sender's previous messages, oldest first.
    public init(previousMessages: [String] = []) {
        self.previousMessages = previousMessages
    }

    /// The window after the sender sent `text`, keeping at most `limit` messages.
    public func appending(_ text: String, limit: Int) -> ConversationWindow {
        ConversationWindow(previousMessages: Array((previousMessages + [text]).suffix(max(limit, 0))))
    }
}
