/// A run of folded text of one kind: letters, digits, whitespace, or a single other symbol.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case word
        case number
        case space
        case symbol
    }

    var kind: Kind
    var text: String
    var origin: Range<Int>
    var disguised: Bool
    /// A space token that contains a line break.
    var newline: Bool = false
}
