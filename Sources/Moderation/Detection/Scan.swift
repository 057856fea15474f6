/// The pieces of one message (or of a conversation window joined by boundaries) that every
/// detector reads, with the word index the phrase rules use.
struct Scan: Sendable {
    let pieces: [Piece]
    /// Indices of word and digit pieces, in order, so phrase rules can skip spaces and punctuation.
    let words: [Int]

    init(pieces: [Piece]) {
        self.pieces = pieces
        self.words = pieces.indices.filter { pieces[$0].kind == .word || pieces[$0].kind == .digits }
    }

    init(_ text: String, base: Int = 0) {
        self.init(pieces: Lexer.pieces(of: Tokeniser.tokens(of: Normaliser().fold(text, base: base))))
    }

    /// The canonical text detectors see: folded, with spellings resolved.
    var canonicalText: String { pieces.map(\.canonical).joined() }

    func origin(_ range: ClosedRange<Int>) -> Range<Int> {
        pieces[range.lowerBound].origin.lowerBound..<pieces[range.upperBound].origin.upperBound
    }

    func tricks(_ range: ClosedRange<Int>) -> Tricks {
        var tricks: Tricks = []
        for piece in pieces[range] { tricks.formUnion(piece.tricks) }
        return tricks
    }

    func match(
        _ contactClass: ContactClass, rule: String, pieces range: ClosedRange<Int>, confidence: Double,
        value: String, extra: Tricks = []
    ) -> ModerationMatch {
        ModerationMatch(
            contactClass: contactClass, rule: rule, span: TextSpan(origin(range)),
            confidence: (min(confidence, 0.99) * 100).rounded() / 100, obfuscations: Obfuscation.from(tricks(range).union(extra)),
            value: value
        )
    }

    /// The index of the next piece after `index` that is not a space, within one message.
    func next(after index: Int) -> Int? {
        var cursor = index + 1
        while cursor < pieces.count, pieces[cursor].kind == .space { cursor += 1 }
        return cursor < pieces.count && pieces[cursor].kind != .boundary ? cursor : nil
    }

    /// The index of the previous piece before `index` that is not a space, within one message.
    func previous(before index: Int) -> Int? {
        var cursor = index - 1
        while cursor >= 0, pieces[cursor].kind == .space { cursor -= 1 }
        return cursor >= 0 && pieces[cursor].kind != .boundary ? cursor : nil
    }

    /// Up to `count` word texts before piece `index`, nearest first, within one sentence.
    func wordsBefore(_ index: Int, count: Int) -> [String] {
        var result: [String] = []
        var cursor = index - 1
        while cursor >= 0, result.count < count, !pieces[cursor].endsSentence {
            if pieces[cursor].kind == .word { result.append(pieces[cursor].text) }
            cursor -= 1
        }
        return result
    }

    /// Up to `count` word texts after piece `index`, nearest first, within one sentence.
    func wordsAfter(_ index: Int, count: Int) -> [String] {
        var result: [String] = []
        var cursor = index + 1
        while cursor < pieces.count, result.count < count, !pieces[cursor].endsSentence {
            if pieces[cursor].kind == .word { result.append(pieces[cursor].text) }
            cursor += 1
        }
        return result
    }
}
