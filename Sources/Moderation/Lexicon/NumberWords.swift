/// Number words in English, Spanish, French, German and Italian, as digit strings.
enum NumberWords {
    /// Words that stand for one digit.
    static let digits: [String: String] = {
        let languages: [[String]] = [
            ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
            ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
            ["zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
            ["null", "eins", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun"],
            ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"],
        ]
        var table: [String: String] = [:]
        for words in languages {
            for (value, word) in words.enumerated() { table[word] = String(value) }
        }
        // Common variants and misspellings (accents are already folded away).
        for (word, value) in [("une", "1"), ("una", "1"), ("zwo", "2"), ("nil", "0"), ("nought", "0"),
                              ("fuenf", "5"), ("ein", "1"), ("eine", "1"), ("oh", "0"), ("o", "0")] {
            table[word] = value
        }
        return table
    }()

    /// Words that are digits only beside other digits ("oh" in "oh seven", "un" in "zéro un").
    static let contextual: Set<String> = ["oh", "o", "nil", "un", "une", "una", "ein", "eine", "uno", "due", "tre", "sei"]

    /// English teens and tens, which people also use to read out pairs of digits.
    static let teens: [String: String] = [
        "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
        "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
        "diez": "10", "once": "11", "doce": "12", "trece": "13", "catorce": "14", "quince": "15",
        "dix": "10", "onze": "11", "douze": "12", "treize": "13", "quatorze": "14", "quinze": "15", "seize": "16",
        "zehn": "10", "elf": "11", "zwolf": "12",
    ]
    static let tens: [String: String] = [
        "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
        "eighty": "8", "ninety": "9",
        "veinte": "2", "treinta": "3", "cuarenta": "4", "cincuenta": "5", "sesenta": "6", "setenta": "7",
        "ochenta": "8", "noventa": "9",
        "vingt": "2", "trente": "3", "quarante": "4", "cinquante": "5", "soixante": "6",
        "zwanzig": "2", "dreissig": "3", "vierzig": "4", "funfzig": "5", "sechzig": "6", "siebzig": "7",
        "achtzig": "8", "neunzig": "9",
    ]
    /// A word made only of digit words run together ("sevenfivefour", "cerosiete"), as digits;
    /// `nil` unless it splits into at least two of them.
    static func segmented(_ word: String) -> String? {
        let letters = Array(word.utf8)
        guard letters.count >= 5, letters.count <= 80 else { return nil }
        // best[i]: the digits for letters[..<i], preferring fewer pieces.
        var best: [[String]?] = Array(repeating: nil, count: letters.count + 1)
        best[0] = []
        for end in 2...letters.count {
            for length in 2...min(8, end) {
                guard let prefix = best[end - length] else { continue }
                let part = String(decoding: letters[(end - length)..<end], as: UTF8.self)
                guard let value = digits[part], part != "oh" else { continue }
                if best[end] == nil || best[end]!.count > prefix.count + 1 { best[end] = prefix + [value] }
            }
        }
        guard let parts = best[letters.count], parts.count >= 2 else { return nil }
        return parts.joined()
    }

    /// Scale words after a digit: "nine hundred" is 900.
    static let scales: [String: String] = [
        "hundred": "00", "cien": "00", "cent": "00", "hundert": "00", "cento": "00", "thousand": "000", "mil": "000",
        "mille": "000", "tausend": "000",
    ]

    /// Words that repeat the next digit: "double five" is 55.
    static let repeaters: [String: Int] = [
        "double": 2, "triple": 3, "treble": 3, "doble": 2, "doppel": 2, "doppelte": 2, "dreifach": 3,
    ]
    /// Joins between tens and units: "cuarenta y dos", "vingt et un".
    static let joiners: Set<String> = ["y", "et", "and", "und", "e"]
}
