/// Splits folded units into letter, digit, whitespace and symbol tokens.
///
/// Letters and digits never share a token, so "0seven9" reads as `0`, `seven`, `9`.
enum Tokeniser {
    static func tokens(of units: [FoldedUnit]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(units.count / 2)
        var index = 0
        while index < units.count {
            let first = units[index]
            let kind = kind(of: first.scalar)
            var text = String.UnicodeScalarView()
            text.append(first.scalar)
            var upper = first.origin.upperBound
            var disguised = first.disguised
            var newline = first.scalar == "\n"
            index += 1
            if kind != .symbol {
                while index < units.count, Self.kind(of: units[index].scalar) == kind {
                    let unit = units[index]
                    text.append(unit.scalar)
                    upper = max(upper, unit.origin.upperBound)
                    disguised = disguised || unit.disguised
                    newline = newline || unit.scalar == "\n"
                    index += 1
                }
            }
            tokens.append(Token(
                kind: kind, text: String(text), origin: first.origin.lowerBound..<upper,
                disguised: disguised, newline: newline
            ))
        }
        return tokens
    }

    static func kind(of scalar: Unicode.Scalar) -> Token.Kind {
        switch scalar.value {
        case 0x61...0x7A: return .word
        case 0x30...0x39: return .number
        case 0x20, 0x09, 0x0A, 0x0D: return .space
        case 0..<0x80: return .symbol
        default:
            if scalar.properties.isWhitespace { return .space }
            if scalar.properties.isAlphabetic { return .word }
            return .symbol
        }
    }
}
