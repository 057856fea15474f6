/// Payment services and phrases that invite paying outside the platform.
enum PaymentLexicon {
    /// Services that only ever mean paying outside a marketplace's checkout.
    static let services: [String: String] = [
        "zelle": "zelle", "venmo": "venmo", "cashapp": "cash app", "bizum": "bizum", "revolut": "revolut",
        "moneygram": "moneygram", "westernunion": "western union", "lydia": "lydia", "paylib": "paylib",
        "swish": "swish", "mbway": "mb way", "twint": "twint", "payid": "payid", "interac": "interac",
        "etransfer": "e-transfer", "skrill": "skrill", "payoneer": "payoneer", "wechatpay": "wechat pay",
        "alipay": "alipay", "iban": "iban",
    ]
    /// Services that may be the marketplace's own checkout or an investment topic: they count with a
    /// payment verb nearby ("pay with paypal", "send btc").
    static let conditionalServices: [String: String] = [
        "paypal": "paypal", "crypto": "crypto", "bitcoin": "bitcoin", "btc": "bitcoin", "usdt": "usdt",
        "ethereum": "ethereum", "eth": "ethereum", "wise": "wise", "transferwise": "wise", "applepay": "apple pay",
    ]
    /// Verbs and prepositions that make a conditional service a way to pay.
    static let paymentVerbs: Set<String> = [
        "pay", "paid", "paying", "payment", "send", "sent", "transfer", "accept", "take", "via", "with", "through",
        "thru", "prefer", "use", "me", "f", "friends", "family",
        "pagar", "pago", "pagame", "paga", "envia", "enviar", "manda", "acepto", "aceptas", "con", "por",
        "payer", "paie", "payez", "paiement", "envoie", "envoyer", "accepte", "acceptes", "avec", "par",
        "zahlen", "bezahlen", "zahlung", "uberweisen", "schick", "schicken", "akzeptierst", "mit", "per",
        "pagare", "pagamento",
    ]

    /// Multi-word service names, joined before looking them up in `services`.
    static let pairs: [String: [String: String]] = [
        "cash": ["app": "cashapp"],
        "western": ["union": "westernunion"],
        "money": ["gram": "moneygram"],
        "mb": ["way": "mbway"],
        "e": ["transfer": "etransfer"],
        "apple": ["pay": "applepay"],
        "wechat": ["pay": "wechatpay"],
        "paypal": ["me": "paypal"],
    ]

    static let avoidFee: Set<String> = [
        "skip", "avoid", "save", "dodge", "bypass", "without", "cut", "evitar", "ahorrar", "ahorramos", "sin",
        "eviter", "economiser", "sans", "umgehen", "sparen", "ohne", "evitare", "senza", "evite", "evitons", "evitez",
        "evita", "evitamos", "ahorra", "ahorras", "spart", "sparst", "saves", "saving", "avoiding", "skipping",
    ]
    static let fees: Set<String> = [
        "fee", "fees", "commission", "commissions", "comision", "comisiones", "frais", "gebuhr", "gebuhren",
        "provision", "commissione", "commissioni", "tarifa", "cut", "middleman",
    ]
    static let direct: Set<String> = ["directly", "direct", "directamente", "directement", "direkt", "direttamente"]
    static let payVerbs: Set<String> = [
        "pay", "paying", "payment", "pagar", "pagame", "pago", "payer", "paie", "paiement", "payez", "zahlen",
        "bezahlen", "zahlung", "pagare", "pagamento", "paid", "zahl", "zahle", "paga", "pague", "paye", "payes",
        "paie", "pays",
    ]
    static let transfers: Set<String> = ["transfer", "wire", "transferencia", "virement", "uberweisung", "bonifico", "deposit"]

    /// Phrases, each with its rule name and confidence.
    static let phrases: [(rule: String, phrase: Phrase, confidence: Double)] = [
        ("payment.fee_avoidance", Phrase(avoidFee, fees, gap: 3), 0.9),
        ("payment.direct", Phrase(payVerbs, direct, gap: 2), 0.85),
        ("payment.direct", Phrase(direct, payVerbs, gap: 1), 0.8),
        ("payment.outside", Phrase(payVerbs, ["outside", "off", "fuera", "hors", "ausserhalb"], gap: 2), 0.85),
        ("payment.bank_transfer", Phrase(["bank", "wire", "bancaria", "bancaire"], ["transfer", "deposit", "details"], gap: 0), 0.8),
        ("payment.bank_transfer", Phrase(["transferencia", "virement", "uberweisung", "bonifico"], gap: 0), 0.8),
        ("payment.friends_family", Phrase(["friends", "amigos", "amis"], ["family", "familia", "famille"], gap: 2), 0.9),
        ("payment.friends_family", Phrase(["f"], ["f"], gap: 0), 0.75),
        ("payment.outside", Phrase(["cash"], ["only", "instead", "directly"], gap: 1), 0.75),
    ]
    /// Countries whose account numbers people paste into chat, as IBAN prefixes.
    static let ibanCountries: Set<String> = [
        "de", "fr", "es", "it", "nl", "be", "at", "ch", "pt", "ie", "pl", "gb", "lu", "fi", "se", "dk", "no", "cz", "gr",
    ]
    /// A bank transfer alone is how refunds arrive; these words make it an invitation.
    static let transferIntent: Set<String> = [
        "me", "my", "i", "you", "instead", "prefer", "directly", "cheaper", "fee", "fees", "accept", "can", "do",
        "mi", "te", "prefiero", "aceptas", "puedes", "mon", "je", "tu", "preferes", "ich", "du", "mein", "lieber",
    ]
}
