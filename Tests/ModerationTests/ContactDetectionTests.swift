import Moderation
import Testing

/// E-mail, links, handles, apps and payment, each with fresh positives and look-alike negatives.
struct ContactDetectionTests {
    let moderator = Moderator(policy: ModerationPolicy(allowedDomains: ["parley.market"]))

    func classes(_ text: String) -> [ContactClass] {
        moderator.examine(text, orderExists: false).classes
    }

    @Test("E-mail addresses, plain and spelled", arguments: [
        "write to kate.b@proton.me", "kate (at) proton (dot) me", "juan.perez arroba gmail punto com",
        "kate at gmail dot com", "kate_88 @ hotmail . fr", "my mail is lena at gmx", "ｋａｔｅ＠ｇｍａｉｌ．ｃｏｍ",
        "kate dot brown at yahoo dot co dot uk",
    ])
    func emails(text: String) {
        #expect(classes(text) == [.emailAddress])
    }

    @Test("Links and bare domains", arguments: [
        "https://kates-vintage.com/item/4", "www.bestdeals.io", "cheaper at kates-vintage.com",
        "see bestdeals dot com", "http://shop.example.de/x?y=1", "vintage-kate.shop",
    ])
    func links(text: String) {
        #expect(classes(text) == [.externalLink])
    }

    @Test("Handles and links to messaging services", arguments: [
        "ig: kate.vintage", "follow @kate_vintage", "my snap is kate_b22", "wa.me/447700900123", "t.me/katevintage",
        "discord: kate#4821", "telegram @kate_v",
    ])
    func handles(text: String) {
        #expect(classes(text).contains(.socialHandle))
    }

    @Test("Invitations to move to an app", arguments: [
        "add me on WhatsApp", "let's continue on Telegram", "hablamos por wasap", "on continue sur Signal ?",
        "schreib mir auf Telegram", "are you on Line?", "let's take this off the app", "whats app me",
        "gimme ur whatsapp",
    ])
    func apps(text: String) {
        #expect(classes(text) == [.messagingApp])
    }

    @Test("Off-platform payment", arguments: [
        "can you do Zelle?", "send it on cash app", "my cashtag is $katev", "paypal.me/katev",
        "bank transfer to skip the fees", "pay me directly", "pásame por bizum", "paiement direct par virement",
        "per Überweisung ohne Gebühren", "IBAN DE89 3704 0044 0532 0130 00", "paypal friends and family please",
    ])
    func payments(text: String) {
        #expect(classes(text) == [.offPlatformPayment])
    }

    @Test("Marketplace talk that mentions apps, money or addresses", arguments: [
        "see parley.market/help", "support@parley.market answered", "https://help.parley.market/orders/1",
        "my phone signal is bad here", "standing in line at the post office", "is WhatsApp preinstalled?",
        "I saw a similar one on instagram", "I paid in the app", "shipping fee is included",
        "the refund arrives by bank transfer from the platform", "meet at the station at 5", "e.g. the blue one",
        "it's done.see you", "polka dot dress, size 38", "at 10 am", "snap fasteners", "node.js book",
        "the 3.5mm jack works",
    ])
    func negatives(text: String) {
        #expect(classes(text).isEmpty)
    }
}
