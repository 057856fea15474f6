/// A 64-bit SimHash of a message's words, for recognising the same or nearly the same text sent
/// to many people.
///
/// The text is normalised as detection normalises it (look-alikes, invisible characters, case,
/// accents), split into words, and hashed as words and overlapping word pairs, so reordering a
/// phrase moves the fingerprint by about 2 bits and changing a word by about 5, while unrelated
/// texts land 20 or more bits apart. Pure and deterministic: the same text gives the same fingerprint in every
/// process and release (FNV-1a, not the seeded `Hasher`).
public struct Fingerprint: Sendable, Hashable, Codable {
    /// The SimHash bits.
    public let bits: UInt64

    /// A fingerprint from its bits (as stored).
    public init(bits: UInt64) {
        self.bits = bits
    }

    /// The fingerprint of `text`, or nil when it has fewer than `minimumWords` words: short
    /// messages ("Is it still available?") are what many honest buyers send to many vendors.
    public init?(of text: String, minimumWords: Int) {
        let words = Scan(text).canonicalText.split { !($0.isLetter || $0.isNumber) }
        guard words.count >= max(1, minimumWords) else { return nil }
        var weights = [Int](repeating: 0, count: 64)
        // Words and word pairs: a changed word moves few of the features, a reordered phrase fewer.
        let shingles = words.map { String($0) } + (1..<max(1, words.count)).map { words[$0 - 1] + " " + words[$0] }
        for shingle in shingles {
            let hash = Self.fnv1a(shingle)
            for bit in 0..<64 { weights[bit] += (hash >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        var bits: UInt64 = 0
        for bit in 0..<64 where weights[bit] > 0 { bits |= 1 << UInt64(bit) }
        self.bits = bits
    }

    /// How many bits differ: 0 for the same text, a few for near duplicates, about 32 for unrelated texts.
    public func distance(to other: Fingerprint) -> Int { (self.bits ^ other.bits).nonzeroBitCount }

    private static func fnv1a(_ text: some StringProtocol) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
