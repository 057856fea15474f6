import Foundation

/// Tables that fold one Unicode scalar to the plain lower-case Latin form a detector reads.
///
/// Built once: accented letters are decomposed with Foundation at start-up, so the hot path is a
/// dictionary look-up per non-ASCII scalar.
enum CharacterFolding {
    struct Fold: Sendable {
        var replacement: String.UnicodeScalarView
        var disguised: Bool
    }

    /// Cyrillic and Greek letters that look like Latin ones (lower case; upper case is lowered first).
    static let lookalikes: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(UInt32, Character)] = [
            // Cyrillic
            (0x0430, "a"), (0x0432, "b"), (0x0435, "e"), (0x043A, "k"), (0x043C, "m"), (0x043D, "h"),
            (0x043E, "o"), (0x0440, "p"), (0x0441, "c"), (0x0442, "t"), (0x0443, "y"), (0x0445, "x"),
            (0x0455, "s"), (0x0456, "i"), (0x0458, "j"), (0x0501, "d"), (0x051B, "q"), (0x051D, "w"),
            (0x04CF, "l"), (0x0451, "e"), (0x0457, "i"), (0x0491, "r"), (0x0261, "g"), (0x0437, "3"),
            (0x0431, "6"), (0x0447, "4"),
            // Greek
            (0x03B1, "a"), (0x03B2, "b"), (0x03B5, "e"), (0x03B9, "i"), (0x03BA, "k"), (0x03BD, "v"),
            (0x03BF, "o"), (0x03C1, "p"), (0x03C4, "t"), (0x03C5, "u"), (0x03C7, "x"), (0x03C9, "w"),
            (0x03B7, "n"), (0x03BC, "u"), (0x03C2, "c"), (0x03F2, "c"), (0x03F3, "j"),
            // Latin oddities without a decomposition
            (0x0131, "i"), (0x0142, "l"), (0x00F8, "o"), (0x0111, "d"), (0x0127, "h"), (0x0192, "f"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (code, latin) in pairs {
            table[Unicode.Scalar(code)!] = latin.unicodeScalars.first!
        }
        return table
    }()

    /// Look-alikes of punctuation and digits that NFKC leaves alone.
    static let symbols: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        for code in [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0x2043] {
            table[Unicode.Scalar(code)!] = "-"
        }
        for code in [0x3002, 0xFF61, 0x2022, 0x00B7, 0x2219, 0x22C5, 0x30FB] {
            table[Unicode.Scalar(code)!] = "."
        }
        // Dingbat and double-circled digits have no compatibility decomposition.
        let digitRuns: [(UInt32, Int)] = [(0x2776, 1), (0x2780, 1), (0x278A, 1), (0x24F5, 1)]
        for (first, value) in digitRuns {
            for step in 0..<9 {
                table[Unicode.Scalar(first + UInt32(step))!] = String(value + step)
            }
            table[Unicode.Scalar(first + 9)!] = "10"
        }
        table[Unicode.Scalar(0x24FF)!] = "0"
        table[Unicode.Scalar(0x1F10C)!] = "0"
        table[Unicode.Scalar(0x00DF)!] = "ss"
        table[Unicode.Scalar(0x00E6)!] = "ae"
        table[Unicode.Scalar(0x0153)!] = "oe"
        return table
    }()

    /// Every folded scalar outside ASCII that the tables know, precomputed once.
    static let table: [Unicode.Scalar: Fold] = {
        var table: [Unicode.Scalar: Fold] = [:]
        for (scalar, replacement) in symbols {
            table[scalar] = Fold(replacement: replacement.unicodeScalars, disguised: true)
        }
        let ranges: [ClosedRange<UInt32>] = [0x00C0...0x024F, 0x0370...0x03FF, 0x0400...0x052F, 0x1E00...0x1EFF]
        for code in ranges.joined() {
            guard let scalar = Unicode.Scalar(code), table[scalar] == nil else { continue }
            var out = String.UnicodeScalarView()
            var disguised = false
            let lowered = scalar.properties.lowercaseMapping
            for part in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
                if isInvisible(part) { continue }
                if let latin = lookalikes[part] {
                    out.append(latin)
                    disguised = true
                } else if let expansion = symbols[part] {
                    out.append(contentsOf: expansion.unicodeScalars)
                } else {
                    out.append(part)
                }
            }
            if String(out) != String(scalar) {
                table[scalar] = Fold(replacement: out, disguised: disguised)
            }
        }
        return table
    }()

    /// Zero-width characters, bidi controls, variation selectors, combining and enclosing marks
    /// (keycaps), soft hyphens: nothing a reader sees as a letter of its own.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .nonspacingMark, .enclosingMark, .spacingMark, .control:
            return !(scalar == "\n" || scalar == "\t" || scalar == "\r")
        default:
            return false
        }
    }
}
