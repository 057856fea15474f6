/// A token after the lexer has read through spellings: number words became digits, "(at)" and
/// "punto" became `@` and `.`. Detectors read pieces.
struct Piece: Sendable {
    enum Kind: Sendable, Equatable {
        case word
        case digits
        case at
        case dot
        case symbol
        case space
        /// The seam between two messages of a conversation window.
        case boundary
    }

    /// How a spelled `@` or `.` was written; a bare word is weaker evidence than a bracket.
    enum Spelling: Sendable, Comparable {
        /// "at", "dot", "punto": ordinary words that only count beside an address.
        case bare
        /// "(at)", "[dot]", "arroba", "at sign".
        case spelled
        /// The symbol itself.
        case literal
    }

    var kind: Kind
    /// Letters or digits; `@` or `.` for a symbol, except a bare spelling keeps its word.
    var text: String
    var origin: Range<Int>
    var tricks: Tricks = []
    var spelling: Spelling = .literal
    var newline: Bool = false

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
    /// The text as detectors read it: a spelled `@` or `.` as the symbol.
    var canonical: String {
        switch kind {
        case .at: "@"
        case .dot: "."
        case .boundary: "\n"
        default: text
        }
    }
    /// A message boundary, a line break, "!" or "?": context words do not reach across it.
    var endsSentence: Bool { kind == .boundary || newline || text == "!" || text == "?" }
}

/// Obfuscation tricks seen in a piece, gathered into a match's `obfuscations`.
struct Tricks: OptionSet, Sendable {
    let rawValue: UInt8
    static let numberWords = Tricks(rawValue: 1)
    static let lookalikes = Tricks(rawValue: 2)
    static let spelledSymbols = Tricks(rawValue: 4)
    static let spacedDigits = Tricks(rawValue: 8)
    static let splitAcrossMessages = Tricks(rawValue: 16)
}
