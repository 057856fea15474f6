/// Finds social and messaging handles ("ig: john.smith", "@johnny_88", "my snap is kate_b") and
/// invitations to continue on a messaging app ("add me on WhatsApp", "hablamos por telegram") or
/// anywhere off the platform ("let's talk outside the app").
struct HandleDetector: Sendable {
    func detect(in scan: Scan, excluding taken: [Range<Int>]) -> [ModerationMatch] {
        var matches: [ModerationMatch] = []
        for mention in appMentions(in: scan) where !isTaken(mention.range, in: scan, taken) {
            if let match = handle(after: mention, in: scan) ?? invitation(mention, in: scan) {
                matches.append(match)
            }
        }
        for index in scan.pieces.indices where scan.pieces[index].kind == .at && scan.pieces[index].spelling == .literal {
            guard !taken.contains(where: { $0.contains(scan.pieces[index].origin.lowerBound) }),
                  !matches.contains(where: { $0.span.range.contains(scan.pieces[index].origin.lowerBound) }),
                  index == 0 || !isLabel(scan.pieces[index - 1]),
                  let (handle, end) = handleText(at: index + 1, in: scan), handle.utf8.count >= 3,
                  handle.unicodeScalars.contains(where: { ("a"..."z").contains($0) })
            else { continue }
            matches.append(scan.match(.socialHandle, rule: "handle.at", pieces: index...end, confidence: 0.8, value: "@" + handle))
        }
        for phrase in AppLexicon.offPlatform {
            for range in phrase.matches(in: scan) where !isTaken(range, in: scan, taken) {
                matches.append(scan.match(.messagingApp, rule: "app.off_platform", pieces: range, confidence: 0.8, value: "off-platform"))
            }
        }
        return matches
    }

    private struct Mention {
        var app: String
        var range: ClosedRange<Int>
        var ambiguous: Bool
    }

    private func appMentions(in scan: Scan) -> [Mention] {
        var mentions: [Mention] = []
        var position = 0
        while position < scan.words.count {
            let index = scan.words[position]
            let word = scan.pieces[index].text
            if position + 1 < scan.words.count, let pair = AppLexicon.pairs[word],
               let app = pair[scan.pieces[scan.words[position + 1]].text],
               scan.words[position + 1] - index <= 2 {
                mentions.append(Mention(app: app, range: index...scan.words[position + 1], ambiguous: false))
                position += 2
                continue
            }
            if let app = AppLexicon.names[word] {
                mentions.append(Mention(app: app, range: index...index, ambiguous: AppLexicon.ambiguous.contains(word)))
            }
            position += 1
        }
        return mentions
    }

    /// "instagram: john.smith", "snap is kate_b", "telegram @johnny", "discord johnny#1234".
    private func handle(after mention: Mention, in scan: Scan) -> ModerationMatch? {
        let pieces = scan.pieces
        var cursor = mention.range.upperBound + 1
        var introduced = false
        var at = false
        var steps = 0
        while cursor < pieces.count, steps < 4 {
            let piece = pieces[cursor]
            if piece.kind == .space {
                cursor += 1
                continue
            }
            if piece.isSymbol(":") || piece.isSymbol("-") || piece.isSymbol("=") || piece.isSymbol(">")
                || piece.kind == .word && ["is", "es", "est", "ist", "id", "name", "username", "user", "handle", "e"].contains(piece.text) {
                introduced = true
                cursor += 1
                steps += 1
                continue
            }
            if piece.kind == .at, piece.spelling == .literal {
                at = true
                cursor += 1
            }
            break
        }
        guard let (text, end) = handleText(at: cursor, in: scan) else { return nil }
        let marked = text.contains { $0 == "_" || $0 == "." || $0 == "#" || $0.isNumber }
        let owned = scan.wordsBefore(mention.range.lowerBound, count: 2).contains { ["my", "mi", "mon", "ma", "mein", "meine", "our"].contains($0) }
        let plausible = mention.ambiguous ? marked : (marked || owned || introduced)
        guard at || (introduced && plausible) || (marked && !mention.ambiguous && text.contains(where: \.isLetter))
        else { return nil }
        guard text.utf8.count >= 3, !(PhoneLexicon.units.contains(text)) else { return nil }
        if NumberWords.digits[text] != nil || AppLexicon.intent.contains(text) || ["the", "a", "not", "down", "good", "great", "fine", "better"].contains(text) {
            return nil
        }
        return scan.match(.socialHandle, rule: "handle.app", pieces: mention.range.lowerBound...end, confidence: 0.9, value: mention.app + ":" + text)
    }

    /// A name and context that invite to move to the app.
    private func invitation(_ mention: Mention, in scan: Scan) -> ModerationMatch? {
        let before = scan.wordsBefore(mention.range.lowerBound, count: 6)
        let after = scan.wordsAfter(mention.range.upperBound, count: 3)
        // "are you on Line?", "tu es sur Telegram ?"
        let asksPresence = before.count >= 2 && AppLexicon.prepositions.contains(before[0])
            && AppLexicon.addressees.contains(before[1])
        let intent = asksPresence || before.contains(where: AppLexicon.intent.contains)
            || after.prefix(2).contains(where: AppLexicon.intent.contains) || followedByDigits(mention, in: scan)
        guard intent else { return nil }
        if mention.ambiguous {
            let preposition = before.first.map { AppLexicon.prepositions.contains($0) || AppLexicon.possession.contains($0) } ?? false
            let follower = after.first.map(AppLexicon.ambiguousFollowers.contains) ?? false
            guard preposition || follower else { return nil }
        }
        let confidence = mention.ambiguous ? 0.75 : 0.85
        return scan.match(.messagingApp, rule: "app.intent", pieces: mention.range, confidence: confidence, value: mention.app)
    }

    private func followedByDigits(_ mention: Mention, in scan: Scan) -> Bool {
        guard var next = scan.next(after: mention.range.upperBound) else { return false }
        if scan.pieces[next].isSymbol(":") || scan.pieces[next].isSymbol("+"), let after = scan.next(after: next) { next = after }
        return scan.pieces[next].kind == .digits
    }

    /// A handle glued together from letters, digits, `_`, `.`, `-` and `#`.
    private func handleText(at start: Int, in scan: Scan) -> (String, Int)? {
        let pieces = scan.pieces
        guard start < pieces.count, isLabel(pieces[start]) else { return nil }
        var text = pieces[start].text
        var end = start
        var cursor = start + 1
        while cursor + 1 < pieces.count {
            let piece = pieces[cursor]
            if isLabel(piece) {
                text += piece.text
                end = cursor
                cursor += 1
            } else if piece.isSymbol("_") || piece.isSymbol("#") || piece.isSymbol("-")
                        || piece.kind == .dot && piece.spelling == .literal, isLabel(pieces[cursor + 1]) {
                text += piece.canonical + pieces[cursor + 1].text
                end = cursor + 1
                cursor += 2
            } else {
                break
            }
        }
        if cursor == pieces.count - 1, isLabel(pieces[cursor]) {
            text += pieces[cursor].text
            end = cursor
        }
        return (text, end)
    }

    private func isLabel(_ piece: Piece) -> Bool { piece.kind == .word || piece.kind == .digits }

    private func isTaken(_ range: ClosedRange<Int>, in scan: Scan, _ taken: [Range<Int>]) -> Bool {
        let origin = scan.origin(range)
        return taken.contains { $0.overlaps(origin) }
    }
}
