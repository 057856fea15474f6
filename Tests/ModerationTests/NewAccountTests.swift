import Moderation
import Testing

@Suite("New-account limits")
struct NewAccountTests {
    let policy = NewAccountPolicy(newForSeconds: 86_400, messagesPerHour: 3)

    @Test("a new account (or a first message) is held to the hourly limit; an established one is not")
    func hourlyLimit() {
        #expect(policy.judge(firstMessageAge: nil, sentInLastHour: 0, carriesLinkOrAttachment: false, counterpartReplied: false) == .allowed)
        #expect(policy.judge(firstMessageAge: 600, sentInLastHour: 2, carriesLinkOrAttachment: false, counterpartReplied: false) == .allowed)
        #expect(policy.judge(firstMessageAge: 600, sentInLastHour: 3, carriesLinkOrAttachment: false, counterpartReplied: false)
            == .tooManyMessages(limit: 3))
        #expect(policy.judge(firstMessageAge: 86_400, sentInLastHour: 50, carriesLinkOrAttachment: true, counterpartReplied: false) == .allowed)
    }

    @Test("links and attachments of a new account wait for the counterpart's first reply, unless the policy says otherwise")
    func holdUntilReply() {
        #expect(policy.judge(firstMessageAge: 60, sentInLastHour: 1, carriesLinkOrAttachment: true, counterpartReplied: false) == .holdUntilReply)
        #expect(policy.judge(firstMessageAge: 60, sentInLastHour: 1, carriesLinkOrAttachment: true, counterpartReplied: true) == .allowed)
        var lenient = policy
        lenient.holdLinksAndAttachmentsUntilReply = false
        #expect(lenient.judge(firstMessageAge: 60, sentInLastHour: 1, carriesLinkOrAttachment: true, counterpartReplied: false) == .allowed)
    }
}
