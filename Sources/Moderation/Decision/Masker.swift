/// Replaces matched spans of a message.
enum Masker {
    /// `text` with every span (UTF-16 offsets, overlapping ones merged) replaced by `replacement`.
    static func mask(_ text: String, spans: [TextSpan], with replacement: String) -> String {
        let utf16 = Array(text.utf16)
        var merged: [Range<Int>] = []
        for span in spans.sorted() where span.length > 0 {
            let range = max(0, span.start)..<min(utf16.count, span.end)
            if let last = merged.last, last.upperBound >= range.lowerBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        var result: [UInt16] = []
        result.reserveCapacity(utf16.count)
        var cursor = 0
        for range in merged {
            result.append(contentsOf: utf16[cursor..<range.lowerBound])
            result.append(contentsOf: replacement.utf16)
            cursor = range.upperBound
        }
        result.append(contentsOf: utf16[cursor...])
        return String(decoding: result, as: UTF16.self)
    }
}
