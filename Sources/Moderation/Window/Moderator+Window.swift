extension Moderator {
    /// Matches that start in a previous message and end in `text`, clipped to `text`.
    ///
    /// The previous messages are laid out before offset 0 (the newest just before it), joined
    /// to `text` by boundaries, so detectors see one stream and spans in `text` keep their offsets.
    func splitMatches(_ text: String, previous: [String]) -> [ModerationMatch] {
        var pieces: [Piece] = []
        var base = 0
        var scans: [[Piece]] = []
        for message in previous.reversed() {
            base -= message.utf16.count + 1
            scans.append(Scan(message, base: base).pieces)
        }
        for messagePieces in scans.reversed() {
            pieces += messagePieces
            let seam = (messagePieces.last?.origin.upperBound ?? 0)
            pieces.append(Piece(kind: .boundary, text: "\n", origin: seam..<seam))
        }
        pieces += Scan(text).pieces
        return detect(in: Scan(pieces: pieces)).compactMap { match in
            guard match.span.start < 0, match.span.end > 0, match.contactClass.canSplit else { return nil }
            var clipped = match
            clipped.span = TextSpan(start: 0, length: match.span.end)
            if !clipped.obfuscations.contains(.splitAcrossMessages) { clipped.obfuscations.append(.splitAcrossMessages) }
            clipped.rule += ".split"
            return clipped
        }
    }

    /// `matches` with split matches added; a split match replaces the current-message matches
    /// it overlaps, since it is the fuller reading.
    func merge(_ matches: [ModerationMatch], withSplit split: [ModerationMatch]) -> [ModerationMatch] {
        guard !split.isEmpty else { return matches }
        let kept = matches.filter { match in !split.contains { $0.span.range.overlaps(match.span.range) } }
        return kept + split
    }
}

extension ContactClass {
    /// Classes whose value can be sent in pieces: numbers and addresses.
    var canSplit: Bool {
        switch self {
        case .phoneNumber, .emailAddress, .externalLink, .socialHandle: true
        case .messagingApp, .offPlatformPayment: false
        }
    }
}
