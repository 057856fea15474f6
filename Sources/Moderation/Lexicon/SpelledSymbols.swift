/// Spellings of `@` and `.` that people use to slip an address past a filter.
enum SpelledSymbols {
    /// Words that mean `@` even without brackets.
    static let at: Set<String> = ["arroba", "arobase", "chiocciola", "atsign", "klammeraffe"]
    /// Words that mean `@` inside brackets ("(a)", "[at]").
    static let bracketedAt: Set<String> = ["at", "a", "arroba", "arobase"]
    /// Words that mean `.` inside brackets, or as a bare word beside an address.
    static let dot: Set<String> = ["dot", "punto", "point", "punkt", "ponto", "dt", "period"]
    static let openers: Set<String> = ["(", "[", "{", "<", "\""]
    static let closers: Set<String> = [")", "]", "}", ">", "\""]
}
