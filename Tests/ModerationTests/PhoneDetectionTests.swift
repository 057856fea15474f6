import Moderation
import Testing

struct PhoneDetectionTests {
    let moderator = Moderator()

    func phones(_ text: String) -> [String] {
        moderator.examine(text, orderExists: false).matches.filter { $0.contactClass == .phoneNumber }.map(\.value)
    }

    @Test("National and international formats", arguments: [
        ("call me on 07700 900123", "07700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("mon portable 06 12 34 56 78", "0612345678"),
        ("Phone: (212) 555-0187", "+12125550187"),
        ("1-800-555-0199 toll free", "+18005550199"),
        ("ruf an: 0171/2345678", "01712345678"),
        ("0162 38905216", "016238905216"),
        ("mi móvil 612 34 56 78", "612345678"),
        ("347 123 4567", "3471234567"),
        ("33 6 12 34 56 78", "+33612345678"),
        ("plus 49 171 2345678", "+491712345678"),
    ])
    func formats(text: String, value: String) {
        #expect(phones(text) == [value])
    }

    @Test("Obfuscated numbers", arguments: [
        "0 7 7 0 0 9 0 0 1 2 3",
        "07.70.09.00.12.3",
        "077-009-001-23",
        "0770a090b0123",
        "oh seven seven double oh, nine oh oh one two three",
        "cero siete siete cero cero nueve cero cero uno dos tres",
        "zero7seven0zero9zero0one23",
        "０７７００ ９００１２３",
        "⓪⑦⑦⓪⓪⑨⓪⓪①②③",
        "0\u{200B}7\u{200B}7\u{200B}0\u{200B}0\u{200B}9\u{200B}0\u{200B}0\u{200B}1\u{200B}2\u{200B}3",
    ])
    func obfuscated(text: String) {
        #expect(phones(text) == ["07700900123"])
    }

    @Test("Numbers that are not phone numbers", arguments: [
        "order #48392017 shipped", "my order number is 4839201756", "tracking number 9400 1000 0000 0000 0000 00",
        "UPS 1Z999AA10123456784", "it was $1,299.99 new", "1 250 € firm", "12/05/2024 at 14:30", "2024-05-12 14:30",
        "120 x 60 x 75 cm", "5000 mAh battery", "ship to 90210-1234", "SW1A 1AA", "10115 Berlin", "IMEI 356938035643809",
        "five five-gallon buckets", "meet at 5", "ORD-2024-467180", "RR794028311FR", "size 42, 2 pairs",
        "between 9 and 5", "EAN 4006381333931",
    ])
    func notPhones(text: String) {
        #expect(phones(text).isEmpty)
    }

    @Test("A span covers the number in the original text, in UTF-16 offsets")
    func spans() {
        let text = "👋🏽 ring me: ０７７００ ９００１２３!"
        let match = moderator.examine(text, orderExists: false).matches[0]
        #expect(match.span.substring(of: text) == "０７７００ ９００１２３")
        #expect(match.obfuscations == [.lookalikeCharacters])
    }
}
