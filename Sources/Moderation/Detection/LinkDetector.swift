/// Finds URLs and bare domains ("https://…", "www.shop.de", "bestdeals.io/item", "example dot com")
/// that are not on the allow-list. Links to messaging services count as handles and links to
/// payment services as off-platform payment.
struct LinkDetector: Sendable {
    let allowedDomains: DomainAllowList

    func detect(in scan: Scan, excluding taken: [Range<Int>]) -> [ModerationMatch] {
        let pieces = scan.pieces
        var matches: [ModerationMatch] = []
        var index = 0
        while index < pieces.count {
            guard pieces[index].kind == .word || pieces[index].kind == .digits,
                  index == 0 || !(pieces[index - 1].kind == .word || pieces[index - 1].kind == .digits
                                  || pieces[index - 1].kind == .at || pieces[index - 1].isSymbol("-")
                                  || pieces[index - 1].kind == .dot && pieces[index - 1].spelling == .literal),
                  !taken.contains(where: { $0.contains(pieces[index].origin.lowerBound) })
            else {
                index += 1
                continue
            }
            if let (match, end) = link(at: index, in: scan) {
                matches.append(match)
                index = end + 1
            } else {
                index += 1
            }
        }
        return matches
    }

    private func link(at start: Int, in scan: Scan) -> (ModerationMatch, Int)? {
        let pieces = scan.pieces
        var cursor = start
        var scheme = false
        if ["http", "https", "hxxp", "hxxps", "ftp"].contains(pieces[cursor].text),
           cursor + 3 < pieces.count, pieces[cursor + 1].isSymbol(":"),
           pieces[cursor + 2].isSymbol("/"), pieces[cursor + 3].isSymbol("/") {
            scheme = true
            cursor += 4
        }
        guard let domain = DomainReader.read(from: cursor, in: scan, allowSpaces: false) else { return nil }
        var labels = domain.labels
        let www = labels.first == "www" && labels.count >= 2
        if www { labels.removeFirst() }
        guard labels.count >= 2 || (scheme && !labels.isEmpty) else { return nil }
        let name = labels.joined(separator: ".")
        let last = labels.last!
        var end = domain.end
        let path = readPath(after: &end, in: scan)
        let service = DomainLexicon.service(name, in: DomainLexicon.messaging) ? ContactClass.socialHandle
            : DomainLexicon.service(name, in: DomainLexicon.payment) ? .offPlatformPayment : .externalLink
        let strong = scheme || www || service != .externalLink
        let hasLetters = last.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
        guard hasLetters else { return nil }
        if DomainLexicon.topLevel.contains(last) {
            // A spelled-out dot ("shop dot com") needs an unambiguous ending, already checked.
        } else if DomainLexicon.ambiguousTopLevel.contains(last) {
            guard strong || path || labels.count >= 3, domain.weakestDot == .literal else { return nil }
        } else if !scheme {
            return nil
        }
        if domain.weakestDot == .bare, !DomainLexicon.topLevel.contains(last) { return nil }
        guard !allowedDomains.allows(name), service != .externalLink || !DomainLexicon.isMailDomain(name) || path
        else { return nil }
        let rule: String
        switch service {
        case .socialHandle: rule = "link.messaging"
        case .offPlatformPayment: rule = "link.payment"
        default: rule = scheme || www ? "link.url" : domain.weakestDot == .literal ? "link.domain" : "link.spelled"
        }
        var confidence = strong ? 0.95 : 0.85
        if domain.weakestDot == .bare { confidence = 0.8 }
        let match = scan.match(service, rule: rule, pieces: start...end, confidence: confidence, value: name)
        return (match, end)
    }

    /// Extends `end` over a path, query or fragment glued to the domain; returns whether there was one.
    private func readPath(after end: inout Int, in scan: Scan) -> Bool {
        let pieces = scan.pieces
        guard end + 1 < pieces.count, pieces[end + 1].isSymbol("/") || pieces[end + 1].isSymbol("?")
            || pieces[end + 1].isSymbol(":") && end + 2 < pieces.count && pieces[end + 2].kind == .digits
        else { return false }
        var cursor = end + 1
        while cursor < pieces.count, !pieces[cursor].endsSentence, pieces[cursor].kind != .space {
            if pieces[cursor].kind != .dot || (cursor + 1 < pieces.count && pieces[cursor + 1].kind != .space) {
                end = cursor
            }
            cursor += 1
        }
        return true
    }
}
