import Moderation
import Testing

@Suite("Near-duplicate spam")
struct SpamTests {
    static let offer = "Hello! Great news: our premium phone cases are 50% off today only, visit our shop"

    static func fingerprint(_ text: String) -> Fingerprint { Fingerprint(of: text, minimumWords: 1)! }

    @Test("the same text, reworded slightly, reordered or disguised stays close; unrelated texts are far")
    func distances() {
        let base = Self.fingerprint(Self.offer)
        #expect(Self.fingerprint("hello great news our premium phone cases are 50 off today only visit our shop").distance(to: base) == 0)
        #expect(Self.fingerprint("HELLO! Great news: our premіum phone cases are 50% off today only, visit our shop").distance(to: base) == 0,
                "a Cyrillic і folds to Latin")
        #expect(Self.fingerprint("Hello! Great news: our premium phone cases are 60% off today only, visit our shop").distance(to: base) <= 8)
        #expect(Self.fingerprint("Great news: our premium phone cases are 50% off today only, visit our shop. Hello!").distance(to: base) <= 8)
        let unrelated = [
            "Hello, is the red chair still for sale? I can pay today", "Hi, do you ship to Madrid? How much would it cost for two items",
            "Thanks a lot, I received the package and everything is perfect", "Can you send more photos of the back side please, and the label",
        ]
        for text in unrelated { #expect(Self.fingerprint(text).distance(to: base) > 16, "\(text)") }
    }

    @Test("short messages get no fingerprint under the minimum")
    func minimum() {
        #expect(Fingerprint(of: "Is it still available?", minimumWords: 6) == nil)
        #expect(Fingerprint(of: "Is it still available for pickup tomorrow?", minimumWords: 6) != nil)
        #expect(Fingerprint(of: "", minimumWords: 1) == nil)
    }

    @Test("the fifth recipient is flagged, the sixth throttled; the same person in several conversations and other texts do not count again")
    func verdicts() {
        let policy = SpamPolicy()
        let offer = Self.fingerprint(Self.offer)
        let other = Self.fingerprint("Hello, is the red chair still for sale? I can pay today")
        func recent(_ recipients: [String], _ fingerprint: Fingerprint) -> [(recipient: String, fingerprint: Fingerprint)] {
            recipients.map { ($0, fingerprint) }
        }
        #expect(policy.judge(offer, to: "v0", recent: recent(["v1", "v2", "v3"], offer)) == .clean)
        #expect(policy.judge(offer, to: "v0", recent: recent(["v1", "v2", "v3", "v4"], offer)) == .flag(recipients: 5))
        #expect(policy.judge(offer, to: "v0", recent: recent(["v1", "v2", "v3", "v4", "v5"], offer)) == .throttle(recipients: 6))
        #expect(policy.judge(offer, to: "v0", recent: recent(["v1", "v1", "v1", "v2", "v2", "v3"], offer)) == .clean, "people, not messages, count")
        #expect(policy.judge(offer, to: "v0", recent: recent(["v0", "v1", "v2", "v3"], offer)) == .clean,
                "an earlier send to the same person, in another conversation, counts with this one")
        #expect(policy.judge(offer, to: "v0", recent: recent(["v1", "v2", "v3", "v4", "v5"], other)) == .clean)
    }
}
