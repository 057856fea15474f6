/// Who raised a flag.
public enum FlagSource: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    /// A person reported the message.
    case user
    /// A detector flagged it.
    case automatic
}
