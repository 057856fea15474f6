/// Top-level domains and well-known services, for telling a domain from a sentence.
enum DomainLexicon {
    /// TLDs that are not also everyday words in the languages the detector reads.
    static let topLevel: Set<String> = [
        "com", "net", "org", "info", "biz", "io", "co", "app", "dev", "xyz", "shop", "store", "online",
        "site", "tv", "ly", "gg", "link", "page", "club", "top", "live", "pro", "blog", "tech", "email",
        "uk", "fr", "nl", "ch", "pl", "pt", "ru", "br", "mx", "ar", "ca", "au", "jp", "cn", "dk", "fi",
        "ie", "cz", "gr", "tr", "eu", "cl", "pe", "ve", "ua", "ro", "hu", "sk", "bg", "hr", "si", "lt",
        "lv", "ee", "za", "nz", "sg", "hk", "kr", "tw", "vn", "th", "ph", "pk", "ng", "ke", "ae", "sa",
        "ws", "cc", "fm", "gl", "bit", "lol", "fun", "world", "space", "website", "market", "es", "de",
    ]
    /// TLDs that are also common words ("it", "me", "to", "no"): a domain ending in one needs more
    /// evidence (a scheme, "www.", a path, or a known service).
    static let ambiguousTopLevel: Set<String> = [
        "it", "me", "to", "no", "at", "be", "by", "do", "go", "in", "is", "la", "my", "so", "us", "am",
        "im", "ai", "se", "tu", "nu", "ms", "ma", "mo", "ml", "mu", "ps", "re", "sh", "st", "tel", "page",
    ]
    /// E-mail providers: "john at gmail" is an address even without ".com".
    static let mailProviders: Set<String> = [
        "gmail", "googlemail", "hotmail", "yahoo", "outlook", "icloud", "protonmail", "proton", "gmx",
        "aol", "live", "msn", "yandex", "mail", "web", "orange", "free", "laposte", "libero", "wanadoo",
        "sfr", "tutanota", "zoho", "fastmail", "hey", "me", "terra", "telefonica", "seznam", "ymail",
    ]
    /// Services whose links lead to a chat or profile: classed as handles, not plain links.
    static let messaging: Set<String> = [
        "wa.me", "api.whatsapp.com", "whatsapp.com", "chat.whatsapp.com", "t.me", "telegram.me", "telegram.org",
        "instagram.com", "ig.me", "m.me", "facebook.com", "fb.com", "fb.me", "messenger.com", "snapchat.com",
        "discord.gg", "discord.com", "signal.me", "signal.group", "line.me", "tiktok.com", "wechat.com",
        "weixin.qq.com", "kik.me", "skype.com", "join.skype.com", "viber.com", "invite.viber.com", "x.com",
        "twitter.com", "linktr.ee",
    ]
    /// Services whose links collect money.
    static let payment: Set<String> = [
        "paypal.me", "paypal.com", "venmo.com", "cash.app", "revolut.me", "wise.com", "zellepay.com",
        "buymeacoffee.com", "ko-fi.com", "patreon.com", "stripe.com", "buy.stripe.com", "monzo.me",
    ]
    /// Mail providers' own domains are not destinations in themselves ("your gmail.com address").
    static func isMailDomain(_ domain: String) -> Bool {
        guard let first = domain.split(separator: ".").first else { return false }
        return mailProviders.contains(String(first)) && domain.split(separator: ".").count <= 3
            && !messaging.contains(domain) && !payment.contains(domain)
    }

    /// The known service `domain` belongs to, if any: the domain itself or a parent of it.
    static func service(_ domain: String, in set: Set<String>) -> Bool {
        if set.contains(domain) { return true }
        var rest = Substring(domain)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if set.contains(String(rest)) { return true }
        }
        return false
    }
}
