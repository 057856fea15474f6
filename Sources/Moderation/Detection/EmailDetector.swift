/// Finds e-mail addresses, also with `@` and `.` spelled out ("john (at) gmail [dot] com",
/// "juan arroba hotmail punto es", "john at gmail") and with spaces around them.
struct EmailDetector: Sendable {
    let allowedDomains: DomainAllowList

    func detect(in scan: Scan) -> [ModerationMatch] {
        var matches: [ModerationMatch] = []
        for index in scan.pieces.indices where scan.pieces[index].kind == .at {
            if let match = address(around: index, in: scan),
               !matches.contains(where: { $0.span == match.span }) {
                matches.append(match)
            }
        }
        return matches
    }

    private func address(around at: Int, in scan: Scan) -> ModerationMatch? {
        let pieces = scan.pieces
        let spelling = pieces[at].spelling
        let loose = spelling != .literal
        guard let local = localPart(before: at, in: scan, loose: loose),
              let domain = DomainReader.read(from: at + 1, in: scan, allowSpaces: true, skipLeadingSpace: true)
        else { return nil }
        let name = domain.labels.joined(separator: ".")
        let last = domain.labels.last!
        let hasTopLevel = domain.labels.count >= 2
            && (DomainLexicon.topLevel.contains(last) || DomainLexicon.ambiguousTopLevel.contains(last))
        let provider = DomainLexicon.mailProviders.contains(domain.labels[0])
        guard hasTopLevel || provider else { return nil }
        // A bare "at" or "dot" is an ordinary word unless the address around it is convincing.
        // "cheaper at kates-vintage.com" is a link, not an address; "kate at gmail" is an address.
        if spelling == .bare, !provider { return nil }
        if domain.weakestDot == .bare, !provider, !DomainLexicon.topLevel.contains(last) { return nil }
        guard !allowedDomains.allows(name) else { return nil }
        var confidence = 0.95
        if spelling == .bare { confidence = 0.8 }
        if !hasTopLevel { confidence -= 0.1 }
        let rule = loose || domain.weakestDot != .literal ? "email.spelled" : "email.address"
        let value = local.text + "@" + name
        return scan.match(.emailAddress, rule: rule, pieces: local.start...domain.end, confidence: confidence, value: value)
    }

    /// The local part before `@`: labels joined by dots, dashes, underscores or plus signs;
    /// with a spelled `@`, spelled dots may be spaced ("john dot smith at …").
    private func localPart(before at: Int, in scan: Scan, loose: Bool) -> (start: Int, text: String)? {
        let pieces = scan.pieces
        var start = at - 1
        // A space, or the seam with the previous message ("john.smith" | "at gmail dot com").
        while start >= 0, at - start <= 3, pieces[start].kind == .space || pieces[start].kind == .boundary { start -= 1 }
        guard start >= 0, isLabel(pieces[start]) else { return nil }
        var parts = [pieces[start].text]
        while parts.count < 12 {
            var joiner = start - 1
            guard joiner >= 0 else { break }
            if isLabel(pieces[joiner]) {
                parts.append(pieces[joiner].text)
                start = joiner
                continue
            }
            let spacedAfter = pieces[joiner].kind == .space
            if spacedAfter { joiner -= 1 }
            guard joiner >= 0 else { break }
            let piece = pieces[joiner]
            let spelledDot = piece.kind == .dot && piece.spelling != .literal
            guard piece.kind == .dot || piece.isSymbol("_") || piece.isSymbol("-") || piece.isSymbol("+") else { break }
            if spelledDot, !loose { break }
            if spacedAfter, !spelledDot { break }
            var label = joiner - 1
            if label >= 0, pieces[label].kind == .space, spelledDot { label -= 1 }
            guard label >= 0, isLabel(pieces[label]) else { break }
            parts.append(piece.canonical)
            parts.append(pieces[label].text)
            start = label
        }
        return (start, parts.reversed().joined())
    }

    private func isLabel(_ piece: Piece) -> Bool { piece.kind == .word || piece.kind == .digits }
}
