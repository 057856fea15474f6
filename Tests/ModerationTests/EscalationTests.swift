import Moderation
import Testing

@Suite("Escalation policy")
struct EscalationTests {
    @Test("attempts warn at the 2nd, hold at the 3rd and restrict at the 5th by default")
    func defaults() {
        let policy = EscalationPolicy()
        #expect(policy.escalate(attempts: 1, current: .good) == nil)
        #expect(policy.escalate(attempts: 2, current: .good) == .warned)
        #expect(policy.escalate(attempts: 3, current: .warned) == .held)
        #expect(policy.escalate(attempts: 4, current: .held) == nil, "no step between hold and restrict")
        #expect(policy.escalate(attempts: 5, current: .held) == .restricted)
        #expect(policy.escalate(attempts: 9, current: .restricted) == nil)
    }

    @Test("a step never lowers a standing; a sender who skipped steps lands on the highest reached")
    func neverLowers() {
        let policy = EscalationPolicy()
        #expect(policy.escalate(attempts: 2, current: .held) == nil, "a staff hold is not lowered to a warning")
        #expect(policy.escalate(attempts: 6, current: .suspended) == nil)
        #expect(policy.escalate(attempts: 5, current: .good) == .restricted, "restored with many attempts recorded: the highest step")
    }

    @Test("a threshold of 0 turns its step off")
    func stepsOff() {
        let policy = EscalationPolicy(warnAt: 0, holdAt: 0, restrictAt: 2)
        #expect(policy.escalate(attempts: 1, current: .good) == nil)
        #expect(policy.escalate(attempts: 2, current: .good) == .restricted)
        #expect(EscalationPolicy(warnAt: 0, holdAt: 0, restrictAt: 0).escalate(attempts: 100, current: .good) == nil)
    }

    @Test("standings order by severity; only a shadow restriction is kept from its subject")
    func standings() {
        #expect(Standing.allCases.sorted() == [.good, .warned, .held, .restricted, .suspended])
        #expect(Standing.allCases.filter { !$0.isShownToUser } == [.restricted])
        let policy = EscalationPolicy()
        #expect(policy.statement(for: .held, attempts: 3).hasPrefix("3 of your messages"))
    }
}
