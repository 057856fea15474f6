/// A range of the original message text, in UTF-16 code units.
///
/// UTF-16 offsets are what JavaScript clients, `NSString` and `NSRange` use, so a client can
/// highlight or strike out the span without re-deriving it. A span always covers whole
/// `Character`s of the original text, however the text was normalised before detection.
public struct TextSpan: Sendable, Codable, Hashable, Comparable {
    /// Offset of the first UTF-16 code unit.
    public var start: Int
    /// Number of UTF-16 code units covered.
    public var length: Int

    /// Creates a span of `length` code units starting at `start`.
    public init(start: Int, length: Int) {
        self.start = start
        self.length = length
    }

    init(_ range: Range<Int>) {
        self.init(start: range.lowerBound, length: range.count)
    }

    /// One past the last UTF-16 code unit covered.
    public var end: Int { start + length }

    var range: Range<Int> { start..<end }

    /// The covered part of `text`, or `nil` when the span does not fit it.
    public func substring(of text: String) -> String? {
        let utf16 = text.utf16
        guard start >= 0, end <= utf16.count,
              let lower = utf16.index(utf16.startIndex, offsetBy: start, limitedBy: utf16.endIndex),
              let upper = utf16.index(lower, offsetBy: length, limitedBy: utf16.endIndex)
        else { return nil }
        return String(text[lower..<upper])
    }

    public static func < (lhs: TextSpan, rhs: TextSpan) -> Bool {
        (lhs.start, lhs.length) < (rhs.start, rhs.length)
    }
}
