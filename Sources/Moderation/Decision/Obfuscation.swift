/// A way the sender disguised a match, reported so reviewers see how it was hidden.
public enum Obfuscation: String, Sendable, Codable, Hashable, CaseIterable {
    /// Digits separated by spaces, dots, dashes, slashes or letters ("0 7 9 1…").
    case spacedDigits = "spaced_digits"
    /// Digits written as words ("zero seven", "double five", "cuatro").
    case numberWords = "number_words"
    /// Look-alike, fullwidth, circled or keycap characters, or invisible characters.
    case lookalikeCharacters = "lookalike_characters"
    /// `@` or `.` spelled out ("(at)", "arroba", "dot").
    case spelledSymbols = "spelled_symbols"
    /// Pieces sent in separate messages.
    case splitAcrossMessages = "split_across_messages"

    static func from(_ tricks: Tricks) -> [Obfuscation] {
        var result: [Obfuscation] = []
        if tricks.contains(.spacedDigits) { result.append(.spacedDigits) }
        if tricks.contains(.numberWords) { result.append(.numberWords) }
        if tricks.contains(.lookalikes) { result.append(.lookalikeCharacters) }
        if tricks.contains(.spelledSymbols) { result.append(.spelledSymbols) }
        if tricks.contains(.splitAcrossMessages) { result.append(.splitAcrossMessages) }
        return result
    }

    var description: String {
        switch self {
        case .spacedDigits: "with its digits spaced out"
        case .numberWords: "with digits written as words"
        case .lookalikeCharacters: "with look-alike or hidden characters"
        case .spelledSymbols: "with @ or . spelled out"
        case .splitAcrossMessages: "split across several messages"
        }
    }
}
