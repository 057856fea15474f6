import Foundation

/// Folds a message into the form detectors read, remembering where each scalar came from.
///
/// Per original `Character`: Unicode NFKC (Foundation's compatibility mapping: fullwidth forms,
/// circled digits, mathematical alphanumerics, ligatures), then invisible scalars are dropped
/// (zero-width, bidi controls, variation selectors, keycap marks, combining accents), letters are
/// lowered, Cyrillic and Greek look-alikes become Latin, accented letters lose their accents and
/// other scripts' decimal digits become ASCII digits. ASCII characters take a fast path.
struct Normaliser: Sendable {
    /// Folds `text`; origins are UTF-16 offsets into `text` plus `base`.
    func fold(_ text: String, base: Int = 0) -> [FoldedUnit] {
        var units: [FoldedUnit] = []
        units.reserveCapacity(text.utf16.count)
        var offset = base
        // An invisible character on its own marks the next visible one as disguised.
        var carried = false
        for character in text {
            let width = character.utf16.count
            let origin = offset..<(offset + width)
            offset += width
            if let ascii = character.asciiValue {
                let lowered = ascii >= 0x41 && ascii <= 0x5A ? ascii + 0x20 : ascii
                units.append(FoldedUnit(scalar: Unicode.Scalar(lowered), origin: origin, disguised: carried))
                carried = false
                continue
            }
            carried = foldExotic(character, origin: origin, carried: carried, into: &units)
        }
        return units
    }

    /// Returns whether the character was a disguise that left nothing to carry it.
    private func foldExotic(
        _ character: Character, origin: Range<Int>, carried: Bool, into units: inout [FoldedUnit]
    ) -> Bool {
        let original = String(character)
        let compatible = original.precomposedStringWithCompatibilityMapping
        // Swift compares strings by canonical equivalence, so only compatibility changes count.
        var disguised = carried || compatible != original
        var emitted: [Unicode.Scalar] = []
        for scalar in compatible.unicodeScalars {
            if scalar.isASCII {
                emitted.append(scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar)
            } else if CharacterFolding.isInvisible(scalar) {
                // An accent combining with a letter is ordinary text; anything else is a disguise.
                if scalar.properties.generalCategory != .nonspacingMark || emitted.isEmpty {
                    disguised = true
                }
            } else if let fold = CharacterFolding.table[scalar] {
                emitted.append(contentsOf: fold.replacement)
                disguised = disguised || fold.disguised
            } else if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue {
                emitted.append(Unicode.Scalar(UInt8(48 + Int(value))))
                disguised = true
            } else {
                emitted.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        for scalar in emitted {
            units.append(FoldedUnit(scalar: scalar, origin: origin, disguised: disguised))
        }
        return emitted.isEmpty && disguised
    }
}
