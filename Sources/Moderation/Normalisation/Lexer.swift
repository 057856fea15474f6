/// Reads tokens into pieces: number words become digits, spelled `@` and `.` become symbols.
enum Lexer {
    static func pieces(of tokens: [Token]) -> [Piece] {
        var pieces: [Piece] = []
        pieces.reserveCapacity(tokens.count)
        var index = 0
        while index < tokens.count {
            let (piece, next) = read(tokens, at: index)
            pieces.append(piece)
            index = next
        }
        resolveContextualDigits(&pieces)
        return pieces
    }

    private static func plain(_ token: Token) -> Piece {
        switch token.kind {
        case .word: Piece(kind: .word, text: token.text, origin: token.origin, tricks: tricks(token))
        case .number: Piece(kind: .digits, text: token.text, origin: token.origin, tricks: tricks(token))
        case .space: Piece(kind: .space, text: " ", origin: token.origin, newline: token.newline)
        case .symbol:
            switch token.text {
            case "@": Piece(kind: .at, text: "@", origin: token.origin, tricks: tricks(token))
            case ".": Piece(kind: .dot, text: ".", origin: token.origin, tricks: tricks(token))
            default: Piece(kind: .symbol, text: token.text, origin: token.origin, tricks: tricks(token))
            }
        }
    }

    private static func tricks(_ token: Token) -> Tricks { token.disguised ? .lookalikes : [] }

    /// The piece starting at `index` and the index of the first token after it.
    private static func read(_ tokens: [Token], at index: Int) -> (Piece, Int) {
        let token = tokens[index]
        switch token.kind {
        case .word:
            return readWord(tokens, at: index)
        case .symbol where SpelledSymbols.openers.contains(token.text):
            return readBracketed(tokens, at: index) ?? (plain(token), index + 1)
        default:
            return (plain(token), index + 1)
        }
    }

    private static func readWord(_ tokens: [Token], at index: Int) -> (Piece, Int) {
        let token = tokens[index]
        let word = token.text
        func digits(_ text: String, through last: Int) -> (Piece, Int) {
            let origin = token.origin.lowerBound..<tokens[last].origin.upperBound
            let disguised = tokens[index...last].contains { $0.disguised }
            var piece = Piece(kind: .digits, text: text, origin: origin, tricks: .numberWords)
            if disguised { piece.tricks.insert(.lookalikes) }
            return (piece, last + 1)
        }
        if let value = NumberWords.digits[word], !NumberWords.contextual.contains(word) {
            // "nine hundred" is 900 when reading out a number.
            if let next = nextNonSpace(tokens, after: index), let zeros = NumberWords.scales[tokens[next].text] {
                return digits(value + zeros, through: next)
            }
            return digits(value, through: index)
        }
        if let value = NumberWords.teens[word] {
            return digits(value, through: index)
        }
        if let tens = NumberWords.tens[word] {
            // "forty-two", "cuarenta y dos", "vingt et un"
            var cursor = index + 1
            var skipped = 0
            while cursor < tokens.count, skipped < 3,
                  tokens[cursor].kind == .space || tokens[cursor].text == "-"
                    || NumberWords.joiners.contains(tokens[cursor].text) {
                cursor += 1
                skipped += 1
            }
            if cursor < tokens.count, skipped > 0, let unit = NumberWords.digits[tokens[cursor].text], unit != "0" {
                return digits(tens + unit, through: cursor)
            }
            return digits(tens + "0", through: index)
        }
        if let times = NumberWords.repeaters[word], let next = nextNonSpace(tokens, after: index),
           let unit = NumberWords.digits[tokens[next].text]
            ?? (tokens[next].kind == .number && tokens[next].text.utf8.count == 1 ? tokens[next].text : nil) {
            return digits(String(repeating: unit, count: times), through: next)
        }
        if let value = NumberWords.segmented(word) {
            return digits(value, through: index)
        }
        if SpelledSymbols.at.contains(word) {
            return (Piece(kind: .at, text: "@", origin: token.origin, tricks: .spelledSymbols, spelling: .spelled), index + 1)
        }
        if word == "at" {
            // "at sign", "at-sign"
            var cursor = index + 1
            if cursor < tokens.count, tokens[cursor].kind == .space || tokens[cursor].text == "-" { cursor += 1 }
            if cursor < tokens.count, tokens[cursor].text == "sign" {
                let origin = token.origin.lowerBound..<tokens[cursor].origin.upperBound
                return (Piece(kind: .at, text: "@", origin: origin, tricks: .spelledSymbols, spelling: .spelled), cursor + 1)
            }
            return (Piece(kind: .at, text: word, origin: token.origin, tricks: .spelledSymbols, spelling: .bare), index + 1)
        }
        if SpelledSymbols.dot.contains(word) {
            return (Piece(kind: .dot, text: word, origin: token.origin, tricks: .spelledSymbols, spelling: .bare), index + 1)
        }
        return (plain(token), index + 1)
    }

    /// "(at)", "[ dot ]", "{.}", "<@>" read as one spelled symbol.
    private static func readBracketed(_ tokens: [Token], at index: Int) -> (Piece, Int)? {
        var cursor = index + 1
        if cursor < tokens.count, tokens[cursor].kind == .space { cursor += 1 }
        guard cursor < tokens.count else { return nil }
        let inner = tokens[cursor].text
        let kind: Piece.Kind
        if SpelledSymbols.bracketedAt.contains(inner) || inner == "@" {
            kind = .at
        } else if SpelledSymbols.dot.contains(inner) || inner == "." {
            kind = .dot
        } else {
            return nil
        }
        cursor += 1
        if cursor < tokens.count, tokens[cursor].kind == .space { cursor += 1 }
        guard cursor < tokens.count, SpelledSymbols.closers.contains(tokens[cursor].text) else { return nil }
        let origin = tokens[index].origin.lowerBound..<tokens[cursor].origin.upperBound
        let text = kind == .at ? "@" : "."
        return (Piece(kind: kind, text: text, origin: origin, tricks: .spelledSymbols, spelling: .spelled), cursor + 1)
    }

    private static func nextNonSpace(_ tokens: [Token], after index: Int) -> Int? {
        var cursor = index + 1
        while cursor < tokens.count, tokens[cursor].kind == .space { cursor += 1 }
        return cursor < tokens.count ? cursor : nil
    }

    /// "oh", "un", and a lone "o", "l" or "i" glued to digits stand for digits only beside digits.
    private static func resolveContextualDigits(_ pieces: inout [Piece]) {
        for index in pieces.indices where pieces[index].kind == .word {
            let word = pieces[index].text
            let glued = (index > 0 && pieces[index - 1].kind == .digits)
                || (index + 1 < pieces.count && pieces[index + 1].kind == .digits)
            if glued, let value = lookalikeDigit(word) {
                pieces[index].kind = .digits
                pieces[index].text = value
                pieces[index].tricks.insert(.lookalikes)
                continue
            }
            guard NumberWords.contextual.contains(word), let value = NumberWords.digits[word] else { continue }
            if neighbourIsDigits(pieces, index, step: -1) || neighbourIsDigits(pieces, index, step: 1) {
                pieces[index].kind = .digits
                pieces[index].text = value
                pieces[index].tricks.insert(.numberWords)
            }
        }
    }

    /// "o", "oo", "ol", "l": letters that stand for 0 and 1 when glued to digits.
    private static func lookalikeDigit(_ word: String) -> String? {
        guard word.utf8.count <= 4 else { return nil }
        var digits = ""
        for scalar in word.unicodeScalars {
            switch scalar {
            case "o": digits.append("0")
            case "l", "i": digits.append("1")
            default: return nil
            }
        }
        return digits
    }

    private static func neighbourIsDigits(_ pieces: [Piece], _ index: Int, step: Int) -> Bool {
        var cursor = index + step
        var skipped = 0
        while cursor >= 0, cursor < pieces.count, skipped < 2,
              pieces[cursor].kind == .space || pieces[cursor].kind == .dot && pieces[cursor].spelling == .literal
                || pieces[cursor].isSymbol(",") || pieces[cursor].isSymbol("-") || pieces[cursor].isSymbol("/") {
            cursor += step
            skipped += 1
        }
        guard cursor >= 0, cursor < pieces.count, pieces[cursor].kind == .digits else { return false }
        // Only a digit read out as a word or a single digit makes "un" or "oh" a digit too.
        return pieces[cursor].tricks.contains(.numberWords) || pieces[cursor].text.utf8.count == 1
    }
}
