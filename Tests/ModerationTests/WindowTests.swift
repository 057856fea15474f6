import Moderation
import Testing

struct WindowTests {
    let moderator = Moderator()

    @Test("A number split over three messages is caught in the last one")
    func splitNumber() {
        let window = ConversationWindow(previousMessages: ["call me", "07700", "900"])
        let decision = moderator.examine("123", window: window, orderExists: false)
        #expect(decision.classes == [.phoneNumber])
        #expect(decision.matches[0].span == TextSpan(start: 0, length: 3))
        #expect(decision.matches[0].obfuscations.contains(.splitAcrossMessages))
        #expect(decision.matches[0].value == "07700900123")
    }

    @Test("An address split between messages is caught")
    func splitEmail() {
        let window = ConversationWindow(previousMessages: ["my mail: kate.brown"])
        let decision = moderator.examine("at gmail dot com", window: window, orderExists: false)
        #expect(decision.classes == [.emailAddress])
        #expect(decision.matches[0].value == "kate.brown@gmail.com")
    }

    @Test("Numbers in earlier messages do not join unrelated ones")
    func unrelatedNumbers() {
        #expect(!moderator.examine("or 300 with delivery", window: ConversationWindow(previousMessages: ["I can do 250"]), orderExists: false).flagged)
        #expect(!moderator.examine("2 items", window: ConversationWindow(previousMessages: ["order #482913"]), orderExists: false).flagged)
    }

    @Test("Only the last windowMessages messages are read")
    func windowLimit() {
        let narrow = Moderator(policy: ModerationPolicy(windowMessages: 1))
        let window = ConversationWindow(previousMessages: ["07700", "900"])
        #expect(!narrow.examine("123", window: window, orderExists: false).flagged)
    }

    @Test("appending keeps the newest messages")
    func appending() {
        let window = ConversationWindow(previousMessages: ["a", "b"]).appending("c", limit: 2)
        #expect(window.previousMessages == ["b", "c"])
    }
}
