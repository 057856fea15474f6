/// Words around a digit run that tell a phone number from an order number, a price or a size.
enum PhoneLexicon {
    /// Words that announce a phone number.
    static let announcers: Set<String> = [
        "call", "text", "txt", "phone", "number", "num", "tel", "telephone", "mobile", "cell", "cellphone",
        "whatsapp", "ring", "sms", "reach", "contact", "digits", "dial", "me", "my", "wa", "signal", "telegram",
        "llama", "llamame", "llamar", "numero", "telefono", "movil", "celular", "cel", "escribeme", "mi",
        "appelle", "appelez", "portable", "joindre", "mon",
        "anrufen", "ruf", "nummer", "handy", "telefon", "handynummer", "telefonnummer", "mobil", "meine",
        "chiamami", "cellulare",
    ]
    /// Words that name a number without saying which kind ("order number", "tracking no").
    static let genericNumberWords: Set<String> = ["number", "num", "no", "nr", "nummer", "numero", "digits", "code"]
    /// Words that announce some other kind of number.
    static let otherNumbers: Set<String> = [
        "order", "orders", "tracking", "track", "trace", "ref", "reference", "invoice", "sku", "item", "items",
        "model", "part", "serial", "sn", "imei", "code", "postcode", "zip", "postal", "lot", "batch", "id",
        "ticket", "case", "receipt", "parcel", "package", "shipment", "awb", "waybill", "barcode", "ean", "upc",
        "isbn", "asin", "vin", "account", "transaction", "confirmation", "booking", "reservation", "voucher",
        "coupon", "listing", "product", "article", "art", "version", "firmware", "build", "ups", "usps", "fedex",
        "dhl", "gls", "dpd", "hermes", "colissimo", "correos", "seur", "mrw", "chronopost", "royal", "evri",
        "pedido", "seguimiento", "factura", "referencia", "envio", "paquete", "codigo",
        "commande", "suivi", "facture", "colis", "bestellung", "bestellnummer", "sendung",
        "sendungsnummer", "rechnung", "paket", "artikel", "artikelnummer", "ordine", "spedizione", "iban", "card",
        "pin", "cvv", "otp", "table", "room", "gate", "platform", "flight", "bus", "route", "unit", "apt",
        "suite", "floor", "plz", "cp", "lieferung",
    ]
    /// Words that end a digit run as a quantity, a size or an amount.
    static let units: Set<String> = [
        "cm", "mm", "m", "km", "in", "inch", "inches", "ft", "feet", "foot", "yd", "kg", "g", "gr", "lb", "lbs",
        "oz", "mg", "l", "ml", "cl", "gal", "gallon", "gallons", "gb", "tb", "mb", "kb", "mah", "w", "kw", "kwh",
        "v", "hz", "mhz", "ghz", "rpm", "pcs", "pc", "pieces", "units", "items", "x", "k", "usd", "eur", "gbp",
        "euro", "euros", "dollar", "dollars", "bucks", "pounds", "quid", "pesos", "francs", "chf", "sek", "nok",
        "dkk", "pln", "mxn", "cad", "aud", "am", "pm", "h", "hrs", "hours", "min", "mins", "minutes", "sec",
        "days", "weeks", "months", "years", "yo", "percent", "km/h", "mph", "p", "dpi", "fps", "px", "mp",
        "seater", "stuck", "st", "uhr", "heures", "horas",
    ]
    /// Symbols before a number that make it money or a reference ("$", "#").
    static let markersBefore: Set<String> = ["$", "€", "£", "¥", "₹", "₽", "₩", "#", "№", "~", "≈"]
    /// Symbols after a number that make it money, a share or a measure ("€", "%", "\"").
    static let markersAfter: Set<String> = ["$", "€", "£", "¥", "%", "\"", "°", "×"]

    /// International calling codes, for "44 7911 123456" written without the plus.
    static let callingCodes: Set<String> = [
        "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
        "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
        "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98", "212", "213", "216", "234", "254",
        "351", "352", "353", "354", "356", "357", "358", "359", "370", "371", "372", "380", "385", "386", "420",
        "421", "971", "972", "966",
    ]
}
