import Foundation

/// The baseline a regex list gives (what managed chat APIs ship as "profanity and contact
/// filters"): one pattern per class over the raw text, case-insensitive, no normalisation.
struct RegexBaseline {
    private let patterns: [NSRegularExpression]

    init() throws {
        let sources = [
            #"(\+|\b)\d[\d \-.()/]{6,}\d"#,  // phone numbers
            #"[\w.+-]+@[\w-]+(\.[\w-]+)+"#,  // e-mail addresses
            #"(https?://|www\.)\S+|\b[\w-]+\.(com|net|org|io|shop|store|de|fr|es|it|co\.uk|me)\b"#,  // links
            #"\b(whatsapp|telegram|instagram|insta|signal|wechat|snapchat|snap|discord|skype|kik|viber)\b|wa\.me|t\.me|@\w{3,}"#,  // apps, handles
            #"\b(zelle|venmo|cash ?app|paypal\.me|bizum|iban)\b|bank transfer|pay (me )?directly"#,  // payment
        ]
        self.patterns = try sources.map { try NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
    }

    /// Whether any pattern matches `text`.
    func flags(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return self.patterns.contains { $0.firstMatch(in: text, range: range) != nil }
    }
}
