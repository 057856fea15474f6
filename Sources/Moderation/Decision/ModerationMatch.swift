/// One thing a detector found in a message.
public struct ModerationMatch: Sendable, Codable, Hashable {
    /// What was found.
    public var contactClass: ContactClass
    /// The rule that fired, stable for dashboards and appeals ("phone.international", "email.spelled").
    public var rule: String
    /// Where in the original message it is (UTF-16 offsets; for a match split across messages,
    /// the part in this message).
    public var span: TextSpan
    /// How sure the rule is, from 0 to 1.
    public var confidence: Double
    /// How the sender disguised it, if at all.
    public var obfuscations: [Obfuscation]
    /// The normalised value ("+447911123456", "john@gmail.com", "whatsapp"), so repeated
    /// attempts with the same contact can be recognised.
    public var value: String

    /// Creates a match; detectors build these, tests and callers may too.
    public init(
        contactClass: ContactClass, rule: String, span: TextSpan, confidence: Double,
        obfuscations: [Obfuscation] = [], value: String
    ) {
        self.contactClass = contactClass
        self.rule = rule
        self.span = span
        self.confidence = confidence
        self.obfuscations = obfuscations
        self.value = value
    }
}
