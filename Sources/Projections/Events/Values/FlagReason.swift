/// Why a message was flagged.
public enum FlagReason: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    /// Unsolicited bulk or promotional text; spam does not count as a reply in response metrics.
    case spam
    case harassment
    /// An attempt to take the deal off the platform (phone numbers, emails, handles).
    case offPlatform = "off_platform"
    case other
}
