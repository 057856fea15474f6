/// Finds phone numbers in digit runs: international ("+44 7911 123456", "0044…"), national
/// with a trunk zero ("07911 123456", "06 12 34 56 78"), North American ("(415) 555-0132"),
/// Spanish and Italian mobiles, and shorter numbers when a word announces them ("call 555 0132").
///
/// A run is digits joined by spaces, dots, dashes, slashes, brackets, commas or single letters;
/// dates, times, prices, sizes and numbers announced as something else ("order", "tracking")
/// are not phone numbers.
struct PhoneDetector: Sendable {
    func detect(in scan: Scan) -> [ModerationMatch] {
        var matches: [ModerationMatch] = []
        var index = 0
        while index < scan.pieces.count {
            guard scan.pieces[index].kind == .digits else {
                index += 1
                continue
            }
            let run = collectRun(scan, from: index)
            matches.append(contentsOf: evaluate(run, in: scan))
            index = run.groups.last! + 1
        }
        return matches
    }

    /// Digit groups (piece indices) joined by separators.
    struct Run {
        var groups: [Int]
        var letterSeparated = false
    }

    private func collectRun(_ scan: Scan, from start: Int) -> Run {
        let pieces = scan.pieces
        var run = Run(groups: [start])
        var cursor = start + 1
        var gap = 0
        while cursor < pieces.count {
            let piece = pieces[cursor]
            if piece.kind == .digits {
                run.groups.append(cursor)
                gap = 0
            } else if isSeparator(piece) {
                gap += 1
                if gap > 3 { break }
            } else if piece.kind == .word, piece.text.utf8.count == 1, piece.text != "x",
                      pieces[cursor - 1].kind == .digits,
                      cursor + 1 < pieces.count, pieces[cursor + 1].kind == .digits {
                run.letterSeparated = true
                gap += 1
            } else {
                break
            }
            cursor += 1
        }
        return run
    }

    private func isSeparator(_ piece: Piece) -> Bool {
        switch piece.kind {
        case .space, .boundary: return true
        case .dot: return piece.spelling == .literal
        case .symbol: return ["-", "/", "(", ")", ",", "_", "|", "\\", "+", "[", "]"].contains(piece.text)
        default: return false
        }
    }

    private func evaluate(_ run: Run, in scan: Scan) -> [ModerationMatch] {
        let groups = splitOffDatesAndTimes(run.groups, in: scan)
        var matches: [ModerationMatch] = []
        for segment in groups {
            var start = 0
            while start < segment.count {
                var found = false
                if start == 0 || isStrongBreak(between: segment[start - 1], and: segment[start], in: scan) {
                    for end in stride(from: segment.count - 1, through: start, by: -1) {
                        let slice = Array(segment[start...end])
                        if let match = classify(slice, letterSeparated: run.letterSeparated, in: scan) {
                            matches.append(match)
                            start = end + 1
                            found = true
                            break
                        }
                    }
                }
                if !found { start += 1 }
            }
        }
        return matches
    }

    /// A comma, a line break or a message boundary can separate two numbers; a space cannot.
    private func isStrongBreak(between left: Int, and right: Int, in scan: Scan) -> Bool {
        scan.pieces[(left + 1)..<right].contains { $0.kind == .boundary || $0.newline || $0.text == "," }
    }

    /// Removes leading dates ("12/05/2024", "2024-05-12") and groups that are hours of a time.
    private func splitOffDatesAndTimes(_ groups: [Int], in scan: Scan) -> [[Int]] {
        var segments: [[Int]] = []
        var current: [Int] = []
        var index = 0
        while index < groups.count {
            let piece = groups[index]
            if piece + 2 < scan.pieces.count, scan.pieces[piece + 1].isSymbol(":"),
               scan.pieces[piece + 2].kind == .digits {
                if !current.isEmpty { segments.append(current) }
                current = []
                index += 1
                continue
            }
            if current.isEmpty, index + 2 < groups.count, groups.count - index == 3 || endsBeforeBreak(groups, index + 2, in: scan),
               isDate(Array(groups[index...(index + 2)]), in: scan) {
                if !current.isEmpty { segments.append(current) }
                current = []
                index += 3
                continue
            }
            current.append(piece)
            index += 1
        }
        if !current.isEmpty { segments.append(current) }
        return segments
    }

    /// Whether the group at `position` is followed by a space rather than the date's separator.
    private func endsBeforeBreak(_ groups: [Int], _ position: Int, in scan: Scan) -> Bool {
        guard position + 1 < groups.count else { return true }
        return scan.pieces[(groups[position] + 1)..<groups[position + 1]].allSatisfy { $0.kind == .space || $0.kind == .boundary }
    }

    private func isDate(_ groups: [Int], in scan: Scan) -> Bool {
        let parts = groups.map { scan.pieces[$0].text }
        let lengths = parts.map(\.utf8.count)
        let values = parts.map { Int($0) ?? -1 }
        let separators = [scan.pieces[(groups[0] + 1)..<groups[1]], scan.pieces[(groups[1] + 1)..<groups[2]]]
        let dateLike = separators.allSatisfy { gap in
            gap.count == 1 && (gap.first!.text == "/" || gap.first!.text == "-" || gap.first!.kind == .dot)
        }
        guard dateLike else { return false }
        if lengths[0] <= 2, lengths[1] <= 2, lengths[2] == 4 || lengths[2] == 2 {
            return (1...31).contains(values[0]) && (1...31).contains(values[1])
        }
        if lengths[0] == 4, lengths[1] <= 2, lengths[2] <= 2 {
            return (1...12).contains(values[1]) && (1...31).contains(values[2])
        }
        return false
    }

    private func classify(_ groups: [Int], letterSeparated: Bool, in scan: Scan) -> ModerationMatch? {
        let pieces = scan.pieces
        let digits = groups.map { pieces[$0].text }.joined()
        let count = digits.utf8.count
        guard count >= 7, count <= 17 else { return nil }
        var first = groups[0]
        var plus = false
        if let sign = plusSign(before: first, in: scan) {
            plus = true
            first = sign
        } else if let previous = scan.previous(before: first), pieces[previous].kind == .word,
                  ["plus", "mas"].contains(pieces[previous].text) {
            plus = true
        }
        let context = self.context(before: first, after: groups.last!, in: scan)
        guard !context.rejected, !isCode(first: groups[0], last: groups.last!, in: scan) else { return nil }
        // ZIP+4 ("90210-1234") and similar five-four codes.
        if groups.count == 2, pieces[groups[0]].text.utf8.count == 5, pieces[groups[1]].text.utf8.count == 4,
           groups[1] == groups[0] + 2, pieces[groups[0] + 1].isSymbol("-") { return nil }
        guard let (rule, base, value) = rule(for: digits, plus: plus, groups: groups, announced: context.announced, in: scan)
        else { return nil }
        var extra: Tricks = []
        let singles = groups.filter { pieces[$0].text.utf8.count == 1 && !pieces[$0].tricks.contains(.numberWords) }.count
        if singles >= 3 || letterSeparated { extra.insert(.spacedDigits) }
        let confidence = base + (context.announced ? 0.05 : 0)
        return scan.match(.phoneNumber, rule: rule, pieces: first...groups.last!, confidence: confidence, value: value, extra: extra)
    }

    private func rule(
        for digits: String, plus: Bool, groups: [Int], announced: Bool, in scan: Scan
    ) -> (String, Double, String)? {
        let d = Array(digits.utf8).map { Int($0) - 48 }
        let count = d.count
        if plus || (d[0] == 0 && d[1] == 0 && d[2] != 0) {
            let national = plus ? d : Array(d.dropFirst(2))
            let value = "+" + national.map(String.init).joined()
            if (8...15).contains(national.count), national[0] != 0 { return ("phone.international", 0.95, value) }
            if announced, national.count == 7, national[0] != 0 { return ("phone.international", 0.75, value) }
            return nil
        }
        if d[0] == 0, d[1] != 0 {
            if (10...11).contains(count) { return ("phone.national", 0.9, digits) }
            // German mobiles: 015x, 016x, 017x with up to eight more digits.
            if count == 12, d[1] == 1, (5...7).contains(d[2]) { return ("phone.national", 0.85, digits) }
            if announced, (9...12).contains(count) { return ("phone.national", 0.8, digits) }
        }
        if count == 10, d[0] >= 2, d[3] >= 2 { return ("phone.north_american", 0.85, "+1" + digits) }
        if count == 11, d[0] == 1, d[1] >= 2, d[4] >= 2 { return ("phone.north_american", 0.85, "+" + digits) }
        if count == 10, d[0] == 3 { return ("phone.mobile", 0.8, digits) }
        if count == 9, d[0] == 6 || d[0] == 7 { return ("phone.mobile", 0.75, digits) }
        if groups.count >= 3, let code = withoutPlus(groups, in: scan), d[code] != 0,
           (8...12).contains(count - code) {
            return ("phone.international", 0.75, "+" + digits)
        }
        if announced, (7...12).contains(count), d[0] != 0 || d[1] != 0 { return ("phone.announced", 0.75, digits) }
        return nil
    }

    /// A `+` just before the first digit, perhaps behind a stray separator ("+ 44", "+.44").
    private func plusSign(before first: Int, in scan: Scan) -> Int? {
        var cursor = first - 1
        var skipped = 0
        while cursor >= 0, skipped <= 2 {
            let piece = scan.pieces[cursor]
            if piece.isSymbol("+") { return cursor }
            guard piece.kind == .space || piece.kind == .dot && piece.spelling == .literal || piece.isSymbol("(") else { return nil }
            cursor -= 1
            skipped += 1
        }
        return nil
    }

    /// A digit run glued to letters ("PO3704968", "ORD-2023-…", "RR794028311FR") is a code.
    private func isCode(first: Int, last: Int, in scan: Scan) -> Bool {
        let pieces = scan.pieces
        var before = first - 1
        if before >= 0, pieces[before].isSymbol("-") || pieces[before].isSymbol("_") { before -= 1 }
        if before >= 0, pieces[before].kind == .word, pieces[before].text.utf8.count >= 2,
           !PhoneLexicon.announcers.contains(pieces[before].text) { return true }
        if last + 1 < pieces.count, pieces[last + 1].kind == .word, pieces[last + 1].text.utf8.count >= 2,
           !PhoneLexicon.units.contains(pieces[last + 1].text) { return true }
        return false
    }

    /// The length of a leading calling code written as its own group ("44 7911 123456").
    private func withoutPlus(_ groups: [Int], in scan: Scan) -> Int? {
        let first = scan.pieces[groups[0]].text
        return PhoneLexicon.callingCodes.contains(first) ? first.utf8.count : nil
    }

    private struct Context {
        var announced = false
        var rejected = false
    }

    private func context(before first: Int, after last: Int, in scan: Scan) -> Context {
        var context = Context()
        let pieces = scan.pieces
        if let previous = scan.previous(before: first), pieces[previous].kind == .symbol,
           PhoneLexicon.markersBefore.contains(pieces[previous].text) {
            context.rejected = true
            return context
        }
        if let next = scan.next(after: last) {
            let piece = pieces[next]
            if piece.kind == .word, PhoneLexicon.units.contains(piece.text) { context.rejected = true }
            if piece.kind == .symbol, PhoneLexicon.markersAfter.contains(piece.text) { context.rejected = true }
        }
        let before = scan.wordsBefore(first, count: 5)
        for (distance, word) in before.enumerated() {
            if PhoneLexicon.otherNumbers.contains(word), distance < 4 {
                context.rejected = true
                break
            }
            // "order number", "tracking no", "numéro de commande": the generic word names another number.
            if PhoneLexicon.genericNumberWords.contains(word),
               before.dropFirst(distance + 1).prefix(2).contains(where: PhoneLexicon.otherNumbers.contains) {
                context.rejected = true
                break
            }
            if PhoneLexicon.announcers.contains(word) || AppLexicon.names[word] != nil {
                context.announced = true
                break
            }
        }
        return context
    }
}
