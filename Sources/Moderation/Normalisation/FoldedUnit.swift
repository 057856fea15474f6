/// One scalar of folded text and the UTF-16 range of the original `Character` it came from.
struct FoldedUnit: Sendable {
    var scalar: Unicode.Scalar
    var origin: Range<Int>
    /// The original character was disguised: a look-alike, a fullwidth or circled form, or it
    /// carried invisible characters. Plain accents do not count.
    var disguised: Bool
}
