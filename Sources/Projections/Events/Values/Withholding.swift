/// Why a stored message is kept from its recipient.
public enum Withholding: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    /// Held for review: staff release it to the recipient (by dismissing the review item) or
    /// redact it. The sender was told. Messages of a held sender, and messages into a
    /// conversation the recipient blocked during an active order, are held.
    case held
    /// Shadow restriction: shown to the sender as sent, never delivered; staff see it.
    case shadow
}
