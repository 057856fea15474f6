/// Reads a domain name from pieces: labels of letters, digits and hyphens joined by dots,
/// literal or spelled ("example (dot) com").
enum DomainReader {
    struct Domain {
        var labels: [String]
        var end: Int
        /// The least convincing dot between labels.
        var weakestDot: Piece.Spelling
    }

    /// - Parameters:
    ///   - allowSpaces: spaces may surround a literal dot too (inside an e-mail address).
    ///   - skipLeadingSpace: a space may come before the first label ("john @ gmail.com").
    static func read(from start: Int, in scan: Scan, allowSpaces: Bool, skipLeadingSpace: Bool = false) -> Domain? {
        let pieces = scan.pieces
        var cursor = start
        if skipLeadingSpace, cursor < pieces.count, pieces[cursor].kind == .space { cursor += 1 }
        guard let (firstLabel, firstEnd) = label(at: cursor, in: pieces) else { return nil }
        var domain = Domain(labels: [firstLabel], end: firstEnd, weakestDot: .literal)
        cursor = firstEnd + 1
        while cursor < pieces.count {
            var dot = cursor
            if pieces[dot].kind == .space { dot += 1 }
            guard dot < pieces.count, pieces[dot].kind == .dot else { break }
            let spelling = pieces[dot].spelling
            let spacedBefore = dot != cursor
            var next = dot + 1
            let spacedAfter = next < pieces.count && pieces[next].kind == .space
            if spacedAfter { next += 1 }
            if (spacedBefore || spacedAfter), spelling == .literal, !allowSpaces { break }
            if spelling == .bare, !(spacedBefore && spacedAfter) { break }
            guard let (text, end) = label(at: next, in: pieces) else { break }
            domain.labels.append(text)
            domain.end = end
            domain.weakestDot = min(domain.weakestDot, spelling)
            cursor = end + 1
            if domain.labels.count >= 5 { break }
        }
        return domain
    }

    /// A label: word and digit pieces glued by hyphens, returned with its last piece index.
    private static func label(at start: Int, in pieces: [Piece]) -> (String, Int)? {
        guard start < pieces.count, pieces[start].kind == .word || pieces[start].kind == .digits else { return nil }
        var text = pieces[start].text
        var end = start
        var cursor = start + 1
        while cursor < pieces.count {
            let piece = pieces[cursor]
            if piece.kind == .word || piece.kind == .digits {
                text += piece.text
                end = cursor
                cursor += 1
            } else if piece.isSymbol("-"), cursor + 1 < pieces.count,
                      pieces[cursor + 1].kind == .word || pieces[cursor + 1].kind == .digits {
                text += "-"
                cursor += 1
            } else {
                break
            }
        }
        return (text, end)
    }
}
