/// Finds invitations to pay outside the platform: payment services ("Zelle", "Cash App",
/// "bizum"), cashtags ("$kate88"), and phrases ("pay me directly", "bank transfer to skip the
/// fees", "friends and family", "virement", "ohne Gebühren").
struct PaymentDetector: Sendable {
    func detect(in scan: Scan, excluding taken: [Range<Int>]) -> [ModerationMatch] {
        var matches: [ModerationMatch] = []
        var position = 0
        while position < scan.words.count {
            let index = scan.words[position]
            let word = scan.pieces[index].text
            var key = word
            var range = index...index
            if position + 1 < scan.words.count, let joined = PaymentLexicon.pairs[word]?[scan.pieces[scan.words[position + 1]].text],
               scan.words[position + 1] - index <= 2 {
                key = joined
                range = index...scan.words[position + 1]
            }
            defer { position += range.count > 1 ? 2 : 1 }
            guard !taken.contains(where: { $0.overlaps(scan.origin(range)) }) else { continue }
            if let service = PaymentLexicon.services[key] {
                let confidence = hasPaymentVerb(near: range, in: scan) ? 0.9 : 0.85
                matches.append(scan.match(.offPlatformPayment, rule: "payment.service", pieces: range, confidence: confidence, value: service))
            } else if let service = PaymentLexicon.conditionalServices[key], hasPaymentVerb(near: range, in: scan) {
                matches.append(scan.match(.offPlatformPayment, rule: "payment.service", pieces: range, confidence: 0.8, value: service))
            }
        }
        for index in scan.pieces.indices where scan.pieces[index].isSymbol("$") {
            guard index + 1 < scan.pieces.count, scan.pieces[index + 1].kind == .word,
                  scan.pieces[index + 1].text.utf8.count >= 3,
                  !PhoneLexicon.units.contains(scan.pieces[index + 1].text)
            else { continue }
            var end = index + 1
            while end + 1 < scan.pieces.count, scan.pieces[end + 1].kind == .word || scan.pieces[end + 1].kind == .digits
                    || scan.pieces[end + 1].isSymbol("_") { end += 1 }
            let tag = scan.pieces[(index + 1)...end].map(\.text).joined()
            matches.append(scan.match(.offPlatformPayment, rule: "payment.cashtag", pieces: index...end, confidence: 0.85, value: "$" + tag))
        }
        matches += ibans(in: scan)
        for (rule, phrase, confidence) in PaymentLexicon.phrases {
            for range in phrase.matches(in: scan) {
                if rule == "payment.bank_transfer", !hasTransferIntent(near: range, in: scan) { continue }
                guard !matches.contains(where: { $0.span.range.overlaps(scan.origin(range)) }) else { continue }
                matches.append(scan.match(.offPlatformPayment, rule: rule, pieces: range, confidence: confidence, value: rule))
            }
        }
        return matches
    }

    /// Bank account numbers: a country code and two check digits, then at least ten more digits
    /// in groups ("DE89 3704 0044 0532 0130 00").
    private func ibans(in scan: Scan) -> [ModerationMatch] {
        let pieces = scan.pieces
        var matches: [ModerationMatch] = []
        for index in pieces.indices where pieces[index].kind == .word && pieces[index].text.utf8.count == 2 {
            guard PaymentLexicon.ibanCountries.contains(pieces[index].text), index + 1 < pieces.count,
                  pieces[index + 1].kind == .digits, pieces[index + 1].text.utf8.count >= 2,
                  index == 0 || pieces[index - 1].kind != .word
            else { continue }
            var count = pieces[index + 1].text.utf8.count - 2
            var end = index + 1
            var cursor = index + 2
            while cursor < pieces.count, pieces[cursor].kind == .digits || pieces[cursor].kind == .space
                    || pieces[cursor].kind == .word && pieces[cursor].text.utf8.count <= 4 && count > 0 {
                if pieces[cursor].kind != .space {
                    count += pieces[cursor].text.utf8.count
                    end = cursor
                }
                cursor += 1
            }
            guard count >= 10 else { continue }
            let value = pieces[index...end].filter { $0.kind != .space }.map(\.text).joined()
            matches.append(scan.match(.offPlatformPayment, rule: "payment.iban", pieces: index...end, confidence: 0.85, value: value))
        }
        return matches
    }

    private func hasPaymentVerb(near range: ClosedRange<Int>, in scan: Scan) -> Bool {
        scan.wordsBefore(range.lowerBound, count: 4).contains(where: PaymentLexicon.paymentVerbs.contains)
            || scan.wordsAfter(range.upperBound, count: 3).contains(where: PaymentLexicon.paymentVerbs.contains)
    }

    private func hasTransferIntent(near range: ClosedRange<Int>, in scan: Scan) -> Bool {
        let words = scan.wordsBefore(range.lowerBound, count: 6) + scan.wordsAfter(range.upperBound, count: 6)
        return words.contains { PaymentLexicon.transferIntent.contains($0) || PaymentLexicon.payVerbs.contains($0) }
    }
}
