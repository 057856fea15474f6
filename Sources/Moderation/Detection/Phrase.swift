/// A sequence of word choices, matched over a message's words with up to `gap` other words
/// between steps: `Phrase(["pay"], ["me", "you"], ["directly"], gap: 1)`.
struct Phrase: Sendable {
    let steps: [Set<String>]
    let gap: Int

    init(_ steps: Set<String>..., gap: Int) {
        self.steps = steps
        self.gap = gap
    }

    /// The positions in `scan.words` of the first and last step when the phrase starts at `start`.
    func match(in scan: Scan, at start: Int) -> ClosedRange<Int>? {
        guard start < scan.words.count, steps[0].contains(scan.pieces[scan.words[start]].text) else { return nil }
        var position = start
        for step in steps.dropFirst() {
            var found: Int?
            var candidate = position + 1
            while candidate < scan.words.count, candidate <= position + 1 + gap {
                if Self.crossesBoundary(scan, from: scan.words[position], to: scan.words[candidate]) { break }
                if step.contains(scan.pieces[scan.words[candidate]].text) {
                    found = candidate
                    break
                }
                candidate += 1
            }
            guard let next = found else { return nil }
            position = next
        }
        return start...position
    }

    /// Every match in `scan`, as ranges of piece indices.
    func matches(in scan: Scan) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        var start = 0
        while start < scan.words.count {
            if let range = match(in: scan, at: start) {
                result.append(scan.words[range.lowerBound]...scan.words[range.upperBound])
                start = range.upperBound + 1
            } else {
                start += 1
            }
        }
        return result
    }

    private static func crossesBoundary(_ scan: Scan, from: Int, to: Int) -> Bool {
        scan.pieces[from...to].contains { $0.kind == .boundary }
    }
}
