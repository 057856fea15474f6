#!/usr/bin/env python3
"""Generate the labelled moderation corpus (deterministic; standard library only).

Writes Tests/ModerationTests/Fixtures/moderation-corpus.jsonl: one JSON object per line with
id, text, label (true = contains off-platform contact or payment), class, context (the same
sender's previous messages, for split_across_messages) and order_exists.

Positives come from templates x vocabularies x languages (en, es, fr, de) for eleven classes;
negatives are the hard cases of marketplace chat: prices, order and tracking numbers, SKUs,
model names, sizes, dates, times, postcodes, quantities in words, the marketplace's own domain
and logistics talk. Usage: scripts/moderation-corpus.py [--seed N] [--out PATH]
"""
import argparse
import json
import os
import random

OWN_DOMAIN = "parley.market"

FIRST = ["john", "maria", "kate", "luis", "sophie", "jan", "ahmed", "lena", "pierre", "carla", "tom",
         "nina", "marco", "anna", "david", "sara", "paul", "elena", "max", "julia", "omar", "lucia"]
LAST = ["smith", "garcia", "muller", "dupont", "rossi", "jones", "lopez", "schmidt", "martin", "brown",
        "fernandez", "weber", "bernard", "silva", "kowalski", "novak"]
PROVIDERS = ["gmail.com", "hotmail.com", "yahoo.com", "outlook.com", "icloud.com", "gmx.de", "web.de",
             "hotmail.fr", "orange.fr", "yahoo.es", "protonmail.com", "aol.com", "libero.it", "live.co.uk"]
WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"],
}
ITEMS = {
    "en": ["sofa", "bike", "lamp", "table", "camera", "guitar", "stroller", "desk", "jacket", "drill"],
    "es": ["sofá", "bici", "lámpara", "mesa", "cámara", "guitarra", "carrito", "escritorio", "chaqueta"],
    "fr": ["canapé", "vélo", "lampe", "table", "appareil photo", "guitare", "poussette", "bureau", "veste"],
    "de": ["Sofa", "Fahrrad", "Lampe", "Tisch", "Kamera", "Gitarre", "Kinderwagen", "Schreibtisch", "Jacke"],
}
LANGS = ["en", "en", "en", "es", "fr", "de"]


class Corpus:
    def __init__(self, rng):
        self.rng = rng
        self.rows = []

    def add(self, text, label, cls, context=None, order_exists=None):
        if order_exists is None:
            order_exists = self.rng.random() < 0.25
        self.rows.append({"id": f"{cls}-{len(self.rows):05d}", "text": text, "label": label, "class": cls,
                          "context": context or [], "order_exists": order_exists})


# ---------- phone numbers ----------

def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone(rng):
    """A (country, national digits, international digits, plain formatted) tuple."""
    kind = rng.choice(["uk", "fr", "de", "es", "us", "it", "nl"])
    if kind == "uk":
        n = "07" + rng.choice("3456789") + digits(rng, 8)
        return n, "+44" + n[1:], rng.choice([f"{n[:5]} {n[5:]}", f"+44 {n[1:5]} {n[5:]}", f"{n[:5]} {n[5:8]} {n[8:]}", n])
    if kind == "fr":
        n = "0" + rng.choice("67") + digits(rng, 8)
        pairs = " ".join(n[i:i + 2] for i in range(0, 10, 2))
        return n, "+33" + n[1:], rng.choice([pairs, pairs.replace(" ", "."), f"+33 {n[1]} {pairs[3:]}", n])
    if kind == "de":
        n = "01" + rng.choice("567") + rng.choice("0123456789") + digits(rng, 7 + rng.randint(0, 1))
        return n, "+49" + n[1:], rng.choice([f"{n[:4]} {n[4:]}", f"{n[:4]}/{n[4:]}", f"+49 {n[1:4]} {n[4:]}", f"{n[:4]}-{n[4:]}"])
    if kind == "es":
        n = rng.choice("67") + digits(rng, 8)
        return n, "+34" + n, rng.choice([f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", f"{n[:3]} {n[3:6]} {n[6:]}", f"+34 {n[:3]} {n[3:6]} {n[6:]}", n])
    if kind == "it":
        n = "3" + rng.choice("234589") + digits(rng, 8)
        return n, "+39" + n, rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", f"+39 {n[:3]} {n[3:]}", n])
    if kind == "nl":
        n = "06" + digits(rng, 8)
        return n, "+31" + n[1:], rng.choice([f"{n[:2]}-{n[2:]}", f"{n[:2]} {n[2:6]} {n[6:]}", f"+31 6 {n[2:]}"])
    area = str(rng.randint(2, 9)) + digits(rng, 2)
    exch = str(rng.randint(2, 9)) + digits(rng, 2)
    line = digits(rng, 4)
    n = area + exch + line
    return n, "+1" + n, rng.choice([f"({area}) {exch}-{line}", f"{area}-{exch}-{line}", f"{area}.{exch}.{line}", f"+1 {area} {exch} {line}", f"1-{area}-{exch}-{line}"])


PHONE_LEADS = {
    "en": ["call me on {p}", "my number is {p}", "text me at {p}", "{p} is my cell", "reach me on {p} anytime",
           "whatsapp {p}", "ring me {p} after 6", "here's my phone: {p}", "just call {p} and we sort it",
           "my mobile {p}", "you can text {p}", "{p} - call me", "contact me {p}", "phone {p}"],
    "es": ["llámame al {p}", "mi número es {p}", "escríbeme al {p}", "mi móvil: {p}", "{p} llámame"],
    "fr": ["appelle-moi au {p}", "mon numéro c'est {p}", "mon portable : {p}", "écris-moi au {p}"],
    "de": ["ruf mich an: {p}", "meine Nummer ist {p}", "Handy {p}", "schreib mir unter {p}"],
}


def lead(rng, lang, p):
    return rng.choice(PHONE_LEADS[lang]).format(p=p)


def spaced(rng, n):
    style = rng.choice(["space", "dot", "dash", "slash", "mixed", "letters", "wide"])
    if style == "space":
        return " ".join(n)
    if style == "dot":
        return ".".join(n)
    if style == "dash":
        return "-".join(n)
    if style == "slash":
        return "/".join([n[i:i + 2] for i in range(0, len(n), 2)])
    if style == "wide":
        return "  ".join(n[i:i + 3] for i in range(0, len(n), 3))
    if style == "letters":
        sep = rng.choice(["a", "b", "k", "z", "q"])
        return sep.join(n[i:i + 3] for i in range(0, len(n), 3))
    out = []
    for ch in n:
        out.append(ch)
        out.append(rng.choice([" ", ".", "-", " - ", ""]))
    return "".join(out).strip(" .-")


def worded(rng, n, lang):
    words = WORDS[lang]
    out = []
    i = 0
    while i < len(n):
        if lang == "en" and i + 1 < len(n) and n[i] == n[i + 1] and rng.random() < 0.5:
            out.append("double " + words[int(n[i])])
            i += 2
            continue
        w = words[int(n[i])]
        if lang == "en" and n[i] == "0" and rng.random() < 0.4:
            w = "oh"
        out.append(w)
        i += 1
    sep = rng.choice([" ", " ", ", ", "-", " "])
    text = sep.join(out)
    return text.upper() if rng.random() < 0.1 else text


def mixed(rng, n, lang):
    style = rng.random()
    if style < 0.2:
        sub = {"0": "O", "1": "l"}
        return "".join(sub.get(c, c) if rng.random() < 0.6 else c for c in n)
    words = WORDS[lang]
    parts = [words[int(c)] if rng.random() < 0.5 else c for c in n]
    if not any(p.isalpha() for p in parts):
        parts[3] = words[int(n[3])]
    sep = rng.choice([" ", "", " ", "-"])
    return sep.join(parts)


ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u202e\u202c"]


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def unicode_phone(rng, n):
    style = rng.choice(["full", "circled", "keycap", "zw", "math", "dingbat"])
    if style == "full":
        return fullwidth(n[:5]) + " " + fullwidth(n[5:])
    if style == "circled":
        return "".join("⓪" if c == "0" else chr(0x2460 + int(c) - 1) for c in n)
    if style == "keycap":
        return "".join(c + "\ufe0f\u20e3" for c in n)
    if style == "zw":
        z = rng.choice(ZW)
        return z.join(n)
    if style == "math":
        return "".join(chr(0x1D7CE + int(c)) for c in n)
    return "".join("⓿" if c == "0" else chr(0x2776 + int(c) - 1) for c in n)


HOMO = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у"}


def homoglyph(rng, s):
    out = [HOMO[c] if c in HOMO and rng.random() < 0.5 else c for c in s]
    if out == list(s):
        for i, c in enumerate(s):
            if c in HOMO:
                out[i] = HOMO[c]
                break
    return "".join(out)


# ---------- e-mail, links, handles ----------

def email(rng):
    local = rng.choice([f"{rng.choice(FIRST)}.{rng.choice(LAST)}", f"{rng.choice(FIRST)}{rng.randint(1, 99)}",
                        f"{rng.choice(FIRST)}_{rng.choice(LAST)}", rng.choice(FIRST) + rng.choice(LAST)])
    return local, rng.choice(PROVIDERS)


AT = ["(at)", "[at]", "{at}", " at ", " arroba ", " at sign ", " (a) ", " AT ", "@", " @ ", "(@)", " arobase "]
DOT = ["(dot)", "[dot]", "{dot}", " dot ", " punto ", " point ", " DOT ", " . ", "[.]", " punkt "]


def obfuscated_email(rng, local, domain):
    at = rng.choice(AT)
    dot = rng.choice(DOT)
    if at.strip() == "@" and dot.strip() == ".":
        dot = " dot "
    local = local.replace(".", rng.choice([".", " dot ", "."]))
    return local + at + domain.replace(".", dot)


EMAIL_LEADS = {
    "en": ["email me at {e}", "my email is {e}", "send it to {e}", "write to {e} please", "{e} is my mail",
           "contact: {e}", "drop me a line {e}"],
    "es": ["mi correo es {e}", "escríbeme a {e}", "mándalo a {e}"],
    "fr": ["mon mail : {e}", "écris-moi à {e}", "envoie à {e}"],
    "de": ["meine Mail ist {e}", "schreib an {e}", "E-Mail: {e}"],
}

SITE_WORDS = ["bestdeals", "myshop", "vintage-finds", "kate-crafts", "cheapbikes", "lucasfurniture",
              "tienda-luis", "boutique-anna", "secondhand24", "dealhub", "mystore", "cameraworld", "retrogames"]
TLDS = ["com", "net", "io", "shop", "store", "co.uk", "de", "fr", "es", "org", "info", "online", "eu"]


def site(rng):
    return rng.choice(SITE_WORDS) + "." + rng.choice(TLDS)


URL_TEMPLATES = {
    "en": ["check {u}", "cheaper on {u}", "see more pics at {u}", "{u} has it for less", "buy it here {u}",
           "I sell on {u} too", "go to {u}", "full specs: {u}"],
    "es": ["míralo en {u}", "más barato en {u}", "fotos en {u}"],
    "fr": ["regarde sur {u}", "moins cher sur {u}", "photos ici {u}"],
    "de": ["schau auf {u}", "günstiger bei {u}", "mehr Bilder: {u}"],
}


def url(rng):
    s = site(rng)
    style = rng.choice(["https", "www", "bare", "path", "spelled", "http"])
    if style == "https":
        return f"https://{s}/item/{rng.randint(100, 9999)}"
    if style == "http":
        return f"http://www.{s}"
    if style == "www":
        return f"www.{s}"
    if style == "path":
        return f"{s}/p/{rng.randint(10, 999)}"
    if style == "spelled":
        return s.replace(".", rng.choice([" dot ", "(dot)", "[dot]", " punto "]))
    return s


HANDLE_TEMPLATES = [
    "ig: {h}", "my insta is @{h}", "follow me @{h}", "snap: {h}", "my snapchat is {h}", "telegram @{h}",
    "t.me/{h}", "discord: {h}#{n}", "find me on instagram @{h}", "kik me: {h}", "skype: live:{h}",
    "wechat id: {h}", "line id {h}", "my tiktok is @{h}", "add me on snap {h}", "instagram.com/{h}",
    "wa.me/{w}", "telegram: {h}", "fb: {h}", "signal me at {h}", "mi insta es @{h}", "mon snap : {h}",
    "mein Insta: @{h}", "https://t.me/{h}", "my discord is {h}#{n}",
]


def handle(rng):
    return rng.choice([f"{rng.choice(FIRST)}_{rng.choice(LAST)}", f"{rng.choice(FIRST)}.{rng.randint(1, 99)}",
                       f"{rng.choice(FIRST)}{rng.choice(LAST)}{rng.randint(1, 9)}", f"the_{rng.choice(FIRST)}_shop"])


APPS = ["WhatsApp", "whatsapp", "Whats App", "Telegram", "telegram", "Signal", "Viber", "WeChat", "Line",
        "Discord", "Snapchat", "Skype", "Kik", "Instagram", "insta", "Messenger", "wasap", "Watsapp"]
INTENT = {
    "en": ["add me on {a}", "let's talk on {a}", "message me on {a}, faster", "do you have {a}?",
           "can we continue on {a}?", "hit me up on {a}", "text me on {a} instead", "{a} me", "switch to {a}",
           "easier on {a}", "dm me on {a}", "are you on {a}?", "we can chat via {a}", "better to use {a}",
           "contact me through {a}", "ping me on {a}", "let's take this off the app", "talk outside the app?",
           "write me on {a} and I'll send pics"],
    "es": ["hablamos por {a}", "agrégame en {a}", "escríbeme por {a}", "¿tienes {a}?", "mejor por {a}",
           "seguimos por {a}", "mándame un mensaje por {a}"],
    "fr": ["écris-moi sur {a}", "on continue sur {a} ?", "tu as {a} ?", "ajoute-moi sur {a}", "contacte-moi sur {a}"],
    "de": ["schreib mir auf {a}", "hast du {a}?", "melde dich per {a}", "lieber über {a}", "kontaktier mich auf {a}"],
}

PAYMENT = {
    "en": ["can you pay with Zelle?", "send it via Venmo", "cash app me and I'll ship", "my cashapp is ${h}",
           "paypal.me/{h}", "bank transfer to skip the fees", "pay me directly and save the commission",
           "I only take Zelle", "pay through paypal friends and family", "venmo @{h}", "let's avoid the platform fees",
           "just pay me directly", "I can do a wire transfer if you prefer", "pay outside the app and I'll knock off 10",
           "send btc to me", "revolut me the money", "Western Union is fine", "I'll give you my IBAN",
           "pay me via paypal, no fees", "skip the fees, e-transfer me", "we can both save the fees"],
    "es": ["pásame por bizum", "transferencia bancaria y nos ahorramos la comisión", "págame directamente",
           "mejor bizum al {p}", "sin comisiones si pagas por transferencia"],
    "fr": ["paie-moi par virement", "virement direct et on évite les frais", "paiement direct par Lydia",
           "tu peux payer directement ?", "sans frais si tu payes par paypal"],
    "de": ["per Überweisung ohne Gebühren", "zahl mir direkt", "überweis mir per PayPal Freunde und Familie",
           "direkt bezahlen, dann sparen wir die Gebühren", "per Überweisung, dann sparen wir uns die Gebühr"],
}


# ---------- negatives ----------

def negatives(c, rng, count):
    def price():
        return rng.choice([f"${rng.randint(5, 2000)}", f"{rng.randint(5, 900)}€", f"£{rng.randint(5, 900)}.{rng.randint(10, 99)}",
                           f"€ {rng.randint(1, 9)}.{rng.randint(100, 999)}", f"${rng.randint(1, 9)},{rng.randint(100, 999)}.99",
                           f"{rng.randint(20, 400)} euros", f"{rng.randint(20, 400)} dollars", f"{rng.randint(2, 60)}0 bucks"])

    def order_no():
        return rng.choice([f"#{rng.randint(1000000, 99999999)}", f"ORD-{rng.randint(2021, 2025)}-{rng.randint(10000, 999999)}",
                           f"{rng.randint(1000000000, 9999999999)}", f"PO{rng.randint(100000, 9999999)}",
                           f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}-{rng.randint(1000000, 9999999)}"])

    def tracking():
        return rng.choice([f"1Z{rng.randint(100, 999)}AA{rng.randint(10**10, 10**11 - 1)}",
                           " ".join(str(rng.randint(1000, 9999)) for _ in range(5)) + f" {rng.randint(10, 99)}",
                           f"{rng.randint(10**11, 10**12 - 1)}", f"JD{rng.randint(10**15, 10**16 - 1)}",
                           f"{rng.choice(['LX', 'RR', 'CP'])}{rng.randint(10**8, 10**9 - 1)}{rng.choice(['DE', 'FR', 'ES', 'GB'])}",
                           f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"])

    def date():
        d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2023, 2026)
        return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d}.{m}.{y}", f"{m}/{d}/{y % 100:02d}",
                           f"{d:02d}.{m:02d}.{y}"])

    def time_():
        return rng.choice([f"{rng.randint(7, 21)}:{rng.choice(['00', '15', '30', '45'])}", f"{rng.randint(1, 12)}pm",
                           f"{rng.randint(7, 11)} am", f"{rng.randint(7, 21)}h{rng.choice(['00', '30'])}", f"{rng.randint(1, 12)}"])

    def postcode():
        return rng.choice(["SW1A 1AA", "EC1V 9HX", "M1 1AE", f"{rng.randint(10000, 99999)}", f"{rng.randint(10000, 99999)}-{rng.randint(1000, 9999)}",
                           f"{rng.randint(1000, 9999)} AB", f"{rng.randint(75001, 75020)} Paris", f"{rng.randint(28001, 28080)} Madrid",
                           f"{rng.randint(10115, 14199)} Berlin", f"D-{rng.randint(10000, 99999)}"])

    def sku():
        return rng.choice([f"SKU {rng.randint(10, 99)}-{rng.randint(1000, 9999)}-BLK", "WH-1000XM4", "RTX 3080",
                           f"iPhone {rng.randint(11, 15)} Pro {rng.choice([128, 256, 512])}GB", "Galaxy S23 Ultra",
                           f"model {rng.choice('ABCDX')}{rng.randint(100, 9999)}", "ThinkPad T480s", "Canon EOS 5D Mark IV",
                           f"part no. {rng.randint(100000, 999999)}", f"EAN {rng.randint(10**12, 10**13 - 1)}",
                           f"IMEI {rng.randint(10**14, 10**15 - 1)}", f"serial {rng.choice('ABC')}{rng.randint(10**7, 10**8)}",
                           f"ref {rng.randint(1000, 99999)}", "MacBook Air M2 2022", "PS5 CFI-1216A", "Dyson V11",
                           f"size {rng.randint(36, 46)}", f"{rng.randint(2, 8)}000 mAh", "Nike Air Max 90"])

    def dims():
        return rng.choice([f"{rng.randint(40, 220)} x {rng.randint(30, 120)} x {rng.randint(20, 110)} cm",
                           f"{rng.randint(1, 3)}.{rng.randint(1, 9)}m x {rng.randint(1, 3)}.{rng.randint(0, 9)}m",
                           f"{rng.randint(10, 80)}x{rng.randint(10, 80)}x{rng.randint(10, 80)}", f"{rng.randint(2, 40)} kg",
                           f"{rng.randint(24, 85)}\"", f"{rng.randint(1200, 2400)} x {rng.randint(600, 1200)} mm",
                           f"{rng.randint(10, 200)} lbs", f"{rng.randint(5, 30)} inches wide"])

    T = {
        "price": {"en": ["I can do {x} for both", "would you take {x}?", "price is {x} firm", "{x} including shipping",
                          "last offer {x}", "it was {x} new, asking {y}", "can you do {x}? I'll pick up today"],
                  "es": ["te lo dejo en {x}", "¿aceptas {x}?", "precio final {x}"],
                  "fr": ["je peux faire {x}", "tu prends {x} ?", "dernier prix {x}"],
                  "de": ["ich kann {x} machen", "nimmst du {x}?", "letzter Preis {x}"]},
        "order": {"en": ["order {o} has shipped", "my order number is {o}", "re: order {o}, when will it arrive?",
                          "invoice {o} attached", "I paid for order {o} yesterday", "your order {o} is confirmed",
                          "can you check order {o}?"],
                  "es": ["el pedido {o} ya salió", "número de pedido {o}"],
                  "fr": ["la commande {o} est partie", "numéro de commande {o}"],
                  "de": ["Bestellung {o} ist unterwegs", "Bestellnummer {o}"]},
        "tracking": {"en": ["tracking number {t}", "here is the tracking: {t}", "UPS tracking {t}", "DHL tracking {t}, should be there Friday",
                             "track it with {t}", "parcel {t} is at the depot", "USPS {t}"],
                     "es": ["número de seguimiento {t}", "el seguimiento es {t}"],
                     "fr": ["numéro de suivi {t}", "le colis {t} arrive demain"],
                     "de": ["Sendungsnummer {t}", "Tracking: {t}"]},
        "sku": {"en": ["is the {k} still available?", "it's the {k}, barely used", "compatible with {k}?",
                        "I have the {k} in black", "does the {k} come with a charger?"],
                "es": ["¿sigue disponible el {k}?", "es el {k}, casi nuevo"],
                "fr": ["le {k} est toujours dispo ?", "c'est le {k}, comme neuf"],
                "de": ["ist der {k} noch da?", "es ist der {k}, kaum benutzt"]},
        "dims": {"en": ["it's {d}", "the {i} is {d}", "dimensions: {d}", "will {d} fit in a car?", "box is {d}"],
                 "es": ["mide {d}", "la {i} mide {d}"], "fr": ["il fait {d}", "dimensions : {d}"],
                 "de": ["es ist {d}", "Maße: {d}"]},
        "date": {"en": ["can you deliver on {dt}?", "pickup {dt} at {tm}?", "I'm free {dt} from {tm}", "meet at {tm}",
                         "meet at {tm2}", "see you at {tm}", "available after {dt}", "delivered {dt} around {tm}",
                         "I'll be home between {tm} and {tm2}"],
                 "es": ["¿puedes entregar el {dt}?", "quedamos a las {tm}", "nos vemos el {dt} a las {tm}"],
                 "fr": ["livraison le {dt} ?", "rendez-vous à {tm}", "on se voit le {dt} à {tm}"],
                 "de": ["Lieferung am {dt}?", "treffen um {tm}", "Abholung am {dt} um {tm}"]},
        "postcode": {"en": ["I'm in {pc}, is that close?", "ship to {pc}", "do you deliver to {pc}?", "my postcode is {pc}",
                             "pickup near {pc}"],
                     "es": ["estoy en {pc}", "envío a {pc}"], "fr": ["je suis à {pc}", "livraison à {pc} ?"],
                     "de": ["ich wohne in {pc}", "Versand nach {pc}?"]},
        "quantity": {"en": ["I need five five-gallon buckets", "two three-seater sofas, one for each room", "I'll take ten, maybe twelve",
                             "one or two is fine", "three chairs and one table", "do you have four of these?",
                             "I want six of the blue and two of the red", "zero scratches, one small dent",
                             "double bed, two nightstands", "triple pack of batteries", "seven days return, no problem",
                             "twenty pieces please", "I bought one in 2019", "nine out of ten condition"],
                     "es": ["quiero dos sillas y una mesa", "tengo tres, ¿quieres las tres?", "cinco cajas de cuatro"],
                     "fr": ["je prends deux chaises et une table", "il en reste trois", "quatre pneus neufs"],
                     "de": ["ich nehme zwei Stühle und einen Tisch", "drei Stück bitte", "vier Reifen, fast neu"]},
        "own": {"en": [f"see {OWN_DOMAIN}/help for returns", f"I contacted support@{OWN_DOMAIN}", f"the listing is at https://{OWN_DOMAIN}/l/{{n}}",
                        f"check www.{OWN_DOMAIN}/faq", f"{OWN_DOMAIN} says it's protected", f"buyer protection on {OWN_DOMAIN} covers this",
                        f"I'll pay through {OWN_DOMAIN} checkout", f"https://help.{OWN_DOMAIN}/orders/{{n}}"],
                "es": [f"lo dice en {OWN_DOMAIN}/ayuda"], "fr": [f"voir {OWN_DOMAIN}/aide"], "de": [f"siehe {OWN_DOMAIN}/hilfe"]},
        "logistics": {"en": ["I'll leave it at the front door", "can you pick it up at the station?", "the courier comes Tuesday",
                              "I'll pay in the app now", "paid, thanks! when do you ship?", "it's fragile, please wrap it well",
                              "shipping fee is included", "the buyer protection fee is fine", "payment went through on my side",
                              "I sent the payment through the app", "no problem, the platform handles the refund",
                              "text me here when you arrive", "call the doorbell, second floor", "I'll message you here tomorrow",
                              "the line at the post office was long", "my phone signal is bad here, sorry for the delay",
                              "what's the best time to call the courier?", "standing in line at the depot",
                              "is WhatsApp preinstalled on the phone?", "the tablet has Instagram and Telegram installed",
                              "does it work with Discord for voice chat?", "snap fasteners on the jacket are fine",
                              "I saw a similar one on instagram", "my email notifications are off, I'll check the app",
                              "it comes with the original box and receipt", "dot matrix printer, works fine",
                              "at the moment I'm at work, I'll answer later", "pay at pickup through the app's QR code?",
                              "please confirm the order in the app", "refund will arrive by bank transfer from the platform in 3 days"],
                      "es": ["lo dejo en la portería", "pagué en la app", "el mensajero pasa el martes", "¿puedes recogerlo en la estación?",
                             "envío incluido", "te escribo por aquí mañana"],
                      "fr": ["je le laisse à la loge", "j'ai payé dans l'appli", "le livreur passe mardi", "je t'écris ici demain",
                             "frais de port inclus"],
                      "de": ["ich stelle es vor die Tür", "habe in der App bezahlt", "der Kurier kommt Dienstag",
                             "ich schreibe dir morgen hier", "Versand ist inklusive"]},
    }
    kinds = list(T)
    for _ in range(count):
        kind = rng.choice(kinds)
        lang = rng.choice(LANGS)
        tmpl = rng.choice(T[kind].get(lang) or T[kind]["en"])
        text = tmpl.format(x=price(), y=price(), o=order_no(), t=tracking(), k=sku(), d=dims(), i=rng.choice(ITEMS[lang]),
                           dt=date(), tm=time_(), tm2=time_(), pc=postcode(), n=rng.randint(1000, 999999))
        if rng.random() < 0.3:
            text = rng.choice(["hi! ", "ok ", "thanks, ", "hello, ", "sure. ", ""]) + text
        if rng.random() < 0.15:
            text = text + rng.choice([" thanks", " :)", " !", " 👍", "?"])
        c.add(text, False, "negative_" + kind)
    # Split-window negatives: previous numbers that must not join the new message.
    pairs = [(["it's 45"], "ok 20 min then"), (["I can do 250"], "or 300 with delivery"), (["size 42"], "I live in 10115 Berlin"),
             (["order #482913"], "2 items"), (["price 120"], "5 left"), (["meet at 5"], "or 6:30"), (["two boxes"], "three bags")]
    for i in range(count // 20):
        ctx, text = rng.choice(pairs)
        c.add(text, False, "negative_split", context=ctx)


def positives(c, rng, per_class):
    for _ in range(per_class):
        lang = rng.choice(LANGS)
        n, intl, formatted = phone(rng)
        c.add(lead(rng, lang, formatted) if rng.random() < 0.85 else formatted, True, "plain")
        local, domain = email(rng)
        if rng.random() < 0.3:
            c.add(rng.choice(EMAIL_LEADS[lang]).format(e=f"{local}@{domain}"), True, "plain")

        n, intl, _ = phone(rng)
        c.add(lead(rng, lang, spaced(rng, n if rng.random() < 0.7 else intl)), True, "spaced_digits")

        n, _, _ = phone(rng)
        c.add(lead(rng, lang, worded(rng, n, lang)), True, "number_words")

        n, _, _ = phone(rng)
        c.add(lead(rng, lang, mixed(rng, n, lang)), True, "mixed_words_digits")

        n, _, _ = phone(rng)
        r = rng.random()
        if r < 0.5:
            text = lead(rng, lang, unicode_phone(rng, n))
        elif r < 0.7:
            text = rng.choice(EMAIL_LEADS[lang]).format(e=fullwidth(f"{local}@{domain}") if rng.random() < 0.5
                                                          else homoglyph(rng, f"{local}@{domain}"))
        elif r < 0.85:
            text = rng.choice(INTENT["en"][:10]).format(a=homoglyph(rng, "whatsapp"))
        else:
            z = rng.choice(ZW)
            text = rng.choice(EMAIL_LEADS[lang]).format(e=z.join(f"{local}@{domain}"))
        c.add(text, True, "unicode_tricks")

        local, domain = email(rng)
        c.add(rng.choice(EMAIL_LEADS[lang]).format(e=obfuscated_email(rng, local, domain)), True, "obfuscated_email")

        c.add(rng.choice(URL_TEMPLATES[lang]).format(u=url(rng)), True, "external_url")

        h = handle(rng)
        _, intl, _ = phone(rng)
        c.add(rng.choice(HANDLE_TEMPLATES).format(h=h, n=rng.randint(1000, 9999), w=intl[1:]), True, "social_handle")

        c.add(rng.choice(INTENT[lang]).format(a=rng.choice(APPS)), True, "messaging_app_intent")

        _, intl, formatted = phone(rng)
        c.add(rng.choice(PAYMENT[lang]).format(h=handle(rng), p=formatted), True, "offplatform_payment")

        # Split across messages.
        n, _, _ = phone(rng)
        cut = rng.randint(3, len(n) - 4)
        style = rng.random()
        if style < 0.6:
            first = rng.choice(["my number is ", "call me ", "", "number: ", "mi número "]) + n[:cut]
            c.add(n[cut:] if rng.random() < 0.5 else " ".join([n[cut:cut + 3], n[cut + 3:]]).strip(), True,
                  "split_across_messages", context=[first])
        elif style < 0.8:
            a, b = cut // 2 + 1, cut
            c.add(n[b:], True, "split_across_messages", context=[rng.choice(["text me ", ""]) + n[:a], n[a:b]])
        else:
            local, domain = email(rng)
            c.add(rng.choice(["@", "at "]) + domain.replace(".", rng.choice([".", " dot "])), True,
                  "split_across_messages", context=[rng.choice(["my email is ", "mail: ", ""]) + local])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20250610)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "..", "Tests", "ModerationTests", "Fixtures", "moderation-corpus.jsonl"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = Corpus(rng)
    positives(corpus, rng, per_class=110)
    negatives(corpus, rng, count=2800)
    with open(args.out, "w", encoding="utf-8") as out:
        for row in corpus.rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in corpus.rows)
    print(f"wrote {len(corpus.rows)} rows ({pos} positive, {len(corpus.rows) - pos} negative) to {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
