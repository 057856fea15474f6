import Foundation
import Moderation
import Testing

struct PolicyTests {
    @Test("Before an order: contact bounces by default, with reasons the sender can act on")
    func bounceBeforeOrder() {
        let decision = Moderator().examine("text me on 07700 900123", orderExists: false)
        #expect(decision.action == .bounce)
        #expect(decision.statementOfReasons.contains("a phone number"))
        #expect(decision.statementOfReasons.contains("automated"))
        #expect(decision.statementOfReasons.contains("review"))
    }

    @Test("Once an order exists: logistics pass, off-platform payment is flagged")
    func afterOrder() {
        let moderator = Moderator()
        #expect(moderator.examine("call me on 07700 900123 when you're outside", orderExists: true).action == .allowAfterMatch)
        #expect(moderator.examine("pay me with zelle instead", orderExists: true).action == .flag)
        #expect(moderator.examine("see you at 5", orderExists: true).action == .allow)
    }

    @Test("Mask replaces every span and keeps the rest")
    func mask() {
        let moderator = Moderator(policy: ModerationPolicy(contactBeforeOrder: .mask, maskReplacement: "•••"))
        let decision = moderator.examine("mail kate@proton.me or 07700 900123, thanks", orderExists: false)
        #expect(decision.action == .mask)
        #expect(decision.maskedText == "mail ••• or •••, thanks")
    }

    @Test("Flag-only policy")
    func flagOnly() {
        let moderator = Moderator(policy: ModerationPolicy(contactBeforeOrder: .flag, paymentBeforeOrder: .flag))
        #expect(moderator.examine("add me on whatsapp", orderExists: false).action == .flag)
        #expect(moderator.examine("add me on whatsapp", orderExists: false).maskedText == nil)
    }

    @Test("Low-confidence matches are at most flagged")
    func threshold() {
        let strict = Moderator(policy: ModerationPolicy(enforcementThreshold: 0.99))
        #expect(strict.examine("add me on whatsapp", orderExists: false).action == .flag)
        let ignoring = Moderator(policy: ModerationPolicy(reportingThreshold: 0.99))
        #expect(ignoring.examine("add me on whatsapp", orderExists: false).action == .allow)
    }

    @Test("The allow-list covers the domain and its subdomains only")
    func allowList() {
        let moderator = Moderator(policy: ModerationPolicy(allowedDomains: ["parley.market"]))
        #expect(!moderator.examine("https://help.parley.market/x", orderExists: false).flagged)
        #expect(moderator.examine("parley-market.com", orderExists: false).flagged)
    }

    @Test("Decisions and policies survive a JSON round trip")
    func codable() throws {
        let decision = Moderator().examine("kate (at) gmail (dot) com", orderExists: false)
        let data = try JSONEncoder().encode(decision)
        #expect(try JSONDecoder().decode(ModerationDecision.self, from: data) == decision)
        let policy = ModerationPolicy(contactBeforeOrder: .mask, allowedDomains: ["parley.market"])
        #expect(try JSONDecoder().decode(ModerationPolicy.self, from: JSONEncoder().encode(policy)) == policy)
    }

    @Test("Actions order from allow to bounce")
    func severity() {
        #expect(ModerationAction.allCases.sorted() == [.allow, .allowAfterMatch, .flag, .mask, .bounce])
    }
}
