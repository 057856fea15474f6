import Moderation
import Testing

/// One test per normalisation step, read through `Moderator.normalise`.
struct NormalisationTests {
    let moderator = Moderator()

    @Test("NFKC folds fullwidth, mathematical and circled forms")
    func compatibilityForms() {
        #expect(moderator.normalise("０７９１１ ＠ｇｍａｉｌ．ｃｏｍ") == "07911 @gmail.com")
        #expect(moderator.normalise("𝟎𝟕𝟗") == "079")
        #expect(moderator.normalise("①②③ ⓪") == "123 0")
    }

    @Test("Dingbat and double-circled digits, which NFKC leaves alone, become digits")
    func dingbatDigits() {
        #expect(moderator.normalise("❶➋➀⓵⓿") == "12110")
    }

    @Test("Keycap digits lose their variation selector and enclosing keycap")
    func keycaps() {
        #expect(moderator.normalise("0\u{FE0F}\u{20E3}7\u{FE0F}\u{20E3}") == "07")
    }

    @Test("Zero-width and bidi control characters are stripped")
    func invisibles() {
        #expect(moderator.normalise("0\u{200B}7\u{200C}9\u{2060}1\u{FEFF}1") == "07911")
        #expect(moderator.normalise("wh\u{202E}at\u{202C}sapp") == "whatsapp")
        #expect(moderator.normalise("soft\u{00AD}hyphen") == "softhyphen")
    }

    @Test("Cyrillic and Greek look-alikes become Latin; accents are dropped")
    func lookalikes() {
        #expect(moderator.normalise("whаtsаpp") == "whatsapp")  // Cyrillic а
        #expect(moderator.normalise("tεlεgrαm") == "telegram")  // Greek ε, α
        #expect(moderator.normalise("ТЕЛЕГРАМ").hasPrefix("t"))
        #expect(moderator.normalise("Zéro Fünf café") == "0 5 cafe")
    }

    @Test("Spelled @ and . in brackets, words and languages")
    func spelledSymbols() {
        #expect(moderator.normalise("kate (at) mail [dot] com") == "kate @ mail . com")
        #expect(moderator.normalise("kate{at}mail{dot}com") == "kate@mail.com")
        #expect(moderator.normalise("juan arroba correo punto es") == "juan @ correo . es")
        #expect(moderator.normalise("kate at sign mail dot com") == "kate @ mail . com")
        #expect(moderator.normalise("marie arobase mail point fr") == "marie @ mail . fr")
        #expect(moderator.normalise("kate [@] mail [.] com") == "kate @ mail . com")
    }

    @Test("English number words, oh, double and triple")
    func englishNumberWords() {
        #expect(moderator.normalise("oh seven nine double one, triple two") == "0 7 9 11, 222")
        #expect(moderator.normalise("forty-two and sixteen") == "42 and 16")
        #expect(moderator.normalise("seven nine hundred") == "7 900")
    }

    @Test("Spanish, French, German and Italian number words")
    func otherLanguages() {
        #expect(moderator.normalise("seis uno dos nueve") == "6 1 2 9")
        #expect(moderator.normalise("zéro six deux huit") == "0 6 2 8")
        #expect(moderator.normalise("null sieben eins fünf") == "0 7 1 5")
        #expect(moderator.normalise("tre quattro sette") == "3 4 7")
    }

    @Test("Words that are digits only beside digits")
    func contextualDigits() {
        #expect(moderator.normalise("zéro un deux") == "0 1 2")
        #expect(moderator.normalise("un canapé") == "un canape")
        #expect(moderator.normalise("oh well") == "oh well")
    }

    @Test("Digit words run together, and letters standing for digits")
    func gluedDigits() {
        #expect(moderator.normalise("sevenfivefour2") == "7542")
        #expect(moderator.normalise("cerosiete") == "07")
        #expect(moderator.normalise("O7911l23456") == "07911123456")
        #expect(moderator.normalise("seventeen often") == "17 often")
    }
}
