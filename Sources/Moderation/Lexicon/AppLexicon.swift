/// Names of messaging and social apps, and the words that turn a mention into an invitation.
enum AppLexicon {
    /// Unambiguous names, after folding, written as one word or as the listed word pairs.
    static let names: [String: String] = {
        var table: [String: String] = [:]
        let groups: [String: [String]] = [
            "whatsapp": ["whatsapp", "watsapp", "whatsap", "whatapp", "watsap", "wasap", "wassap", "whatsup",
                         "wsp", "wapp", "whats", "guasap", "wasapp", "whatsaap", "whatssapp"],
            "telegram": ["telegram", "telegramm", "telegrm", "telgram", "telegrams"],
            "instagram": ["instagram", "insta", "instagramm", "instgram", "ig"],
            "wechat": ["wechat", "weixin"],
            "discord": ["discord", "discordapp"],
            "snapchat": ["snapchat", "snap", "sc"],
            "skype": ["skype"],
            "kik": ["kik"],
            "viber": ["viber"],
            "facebook": ["facebook", "fb", "messenger"],
            "tiktok": ["tiktok"],
            "imessage": ["imessage", "facetime"],
            "threema": ["threema"],
            "kakaotalk": ["kakaotalk", "kakao"],
            "signal": ["signal"],
            "line": ["line"],
        ]
        for (app, spellings) in groups {
            for spelling in spellings { table[spelling] = app }
        }
        return table
    }()

    /// Names that are also everyday words ("signal", "line", "snap", "whats"): they count only
    /// right after a preposition or before "me", "app", "id", a handle, or a number.
    static let ambiguous: Set<String> = ["signal", "line", "snap", "whats", "sc", "ig", "fb", "messenger", "wsp", "kik"]

    /// Two-word spellings: "whats app", "we chat", "face book", "tik tok".
    static let pairs: [String: [String: String]] = [
        "whats": ["app": "whatsapp", "ap": "whatsapp"],
        "wats": ["app": "whatsapp", "ap": "whatsapp"],
        "what": ["app": "whatsapp", "sapp": "whatsapp"],
        "we": ["chat": "wechat"],
        "face": ["book": "facebook", "time": "imessage"],
        "tik": ["tok": "tiktok"],
        "tele": ["gram": "telegram"],
        "insta": ["gram": "instagram"],
        "snap": ["chat": "snapchat"],
    ]

    /// Verbs, pronouns and questions that make an app name an invitation to move there.
    static let intent: Set<String> = [
        "add", "message", "msg", "text", "txt", "dm", "pm", "contact", "reach", "hit", "find", "follow", "chat",
        "talk", "write", "call", "ping", "send", "move", "continue", "switch", "join", "me", "us", "my",
        "mine", "have", "use", "got", "number", "ur", "your", "yours", "gimme", "give", "dame", "donne", "gib", "via", "directly", "better", "faster", "easier",
        "hablamos", "hablemos", "escribeme", "escribime", "escribe", "mandame", "agregame", "anademe",
        "contactame", "llamame", "hablar", "tienes", "tenes", "usas", "mi", "por", "seguimos",
        "ecris", "ecrivez", "ecrismoi", "contacte", "contactez", "appelle", "ajoute", "ajoutez", "parlons",
        "moi", "mon", "as", "avez", "continuons", "envoie",
        "schreib", "schreibe", "schreiben", "melde", "meld", "kontaktier", "kontaktiere", "ruf", "schick",
        "mir", "mich", "mein", "meine", "hast", "habt", "uber", "per",
        "scrivimi", "contattami", "aggiungimi", "sentiamoci",
    ]
    /// Prepositions that put a place before an app name: "on signal", "por line".
    static let prepositions: Set<String> = [
        "on", "via", "over", "through", "thru", "by", "in", "por", "en", "sur", "par", "auf", "uber", "per", "su", "na",
    ]
    /// "you" in the languages read, for "are you on …?".
    static let addressees: Set<String> = ["you", "u", "ya", "tu", "du", "vous", "usted", "ustedes", "ihr", "sie"]
    /// Verbs of having or using directly before an ambiguous name: "use Signal", "tu as Line".
    static let possession: Set<String> = ["have", "use", "got", "as", "avez", "hast", "habt", "tienes", "tenes", "usas", "utilises", "nutzt"]
    /// Words that, directly after an ambiguous name, show it is the app: "line id", "snap me".
    static let ambiguousFollowers: Set<String> = ["me", "app", "id", "name", "user", "username", "handle", "moi", "mir", "mich"]

    /// Phrases that invite to leave the platform without naming an app.
    static let offPlatform: [Phrase] = [
        Phrase(["outside", "off"], ["of", "the", "this"], ["app", "platform", "site", "website", "marketplace", "chat"], gap: 1),
        Phrase(["outside", "off"], ["app", "platform", "site", "website", "marketplace"], gap: 0),
        Phrase(["fuera"], ["de"], ["la", "esta"], ["app", "plataforma", "aplicacion", "pagina", "web"], gap: 0),
        Phrase(["hors"], ["de"], ["la", "l"], ["plateforme", "appli", "application", "site"], gap: 0),
        Phrase(["hors"], ["plateforme", "appli", "site"], gap: 0),
        Phrase(["ausserhalb"], ["der", "dieser"], ["plattform", "app", "seite"], gap: 0),
    ]
}
