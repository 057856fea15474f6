public import ArgumentParser
import Moderation

/// The moderation policy's command-line options, shared by `parley serve` and `parley moderate`
/// so the check on the command line decides exactly as the server does.
struct ModerationOptions: ParsableArguments {
    @Option(help: "A domain messages may link to: the marketplace's own and its partners' (repeatable; subdomains included).")
    var allowedDomain: [String] = []
    @Option(help: "What moderation does with contact details before an order exists: allow_after_match, flag, mask or bounce.")
    var contactBeforeOrder: ModerationAction = .bounce
    @Option(help: "What moderation does with contact details once an order exists.") var contactAfterOrder: ModerationAction = .allowAfterMatch
    @Option(help: "What moderation does with off-platform payment talk before an order exists.") var paymentBeforeOrder: ModerationAction = .bounce
    @Option(help: "What moderation does with off-platform payment talk once an order exists.") var paymentAfterOrder: ModerationAction = .flag
    @Option(help: "The marketplace's name, as statements of reasons give it.") var marketplaceName = "this marketplace"
    @Option(help: "People (distinct recipients, however many conversations with each) one sender may send the same or nearly the same text to within --spam-window-seconds before it is flagged as spam (more are refused).")
    var spamRecipients = 5
    @Option(help: "How far back the spam check counts a sender's messages.") var spamWindowSeconds = 600
    @Option(help: "Messages with fewer words are never counted as spam.") var spamMinimumWords = 6
    @Option(help: "Hours after its first message an account counts as new.") var newAccountHours = 24.0
    @Option(help: "Messages a new account may send in any hour.") var newAccountMessagesPerHour = 30
    @Flag(inversion: .prefixedNo, help: "Whether a new account's links and attachments wait for the other participant's first reply.")
    var newAccountHoldLinks = true
    @Option(help: "The contact or payment attempt (since the sender was last in good standing) that warns them; 0 turns the step off.")
    var warnAtAttempt = 2
    @Option(help: "The attempt from which the sender's messages are held for review; 0 turns the step off.") var holdAtAttempt = 3
    @Option(help: "The attempt from which the sender is shadow-restricted; 0 turns the step off.") var restrictAtAttempt = 5

    func validate() throws {
        guard self.spamRecipients >= 2, self.spamWindowSeconds > 0, self.spamMinimumWords >= 1 else {
            throw ValidationError("--spam-recipients must be 2 or more, --spam-window-seconds and --spam-minimum-words positive")
        }
        guard self.newAccountHours >= 0, self.newAccountMessagesPerHour >= 1 else {
            throw ValidationError("--new-account-hours must not be negative and --new-account-messages-per-hour must be positive")
        }
        guard [self.warnAtAttempt, self.holdAtAttempt, self.restrictAtAttempt].allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--warn-at-attempt, --hold-at-attempt and --restrict-at-attempt must not be negative (0 turns a step off)")
        }
    }

    /// The escalation of repeated attempts the options describe.
    var escalation: EscalationPolicy {
        EscalationPolicy(warnAt: self.warnAtAttempt, holdAt: self.holdAtAttempt, restrictAt: self.restrictAtAttempt)
    }

    /// The new-account limits the options describe.
    var newAccounts: NewAccountPolicy {
        NewAccountPolicy(
            newForSeconds: Int(self.newAccountHours * 3_600), messagesPerHour: self.newAccountMessagesPerHour,
            holdLinksAndAttachmentsUntilReply: self.newAccountHoldLinks)
    }

    /// The spam policy the options describe.
    var spam: SpamPolicy {
        SpamPolicy(recipients: self.spamRecipients, windowSeconds: self.spamWindowSeconds, minimumWords: self.spamMinimumWords)
    }

    /// The policy the options describe.
    var policy: ModerationPolicy {
        ModerationPolicy(
            contactBeforeOrder: self.contactBeforeOrder, contactAfterOrder: self.contactAfterOrder,
            paymentBeforeOrder: self.paymentBeforeOrder, paymentAfterOrder: self.paymentAfterOrder,
            allowedDomains: self.allowedDomain, marketplaceName: self.marketplaceName)
    }
}

/// Moderation actions as command-line values: `allow_after_match`, `flag`, `mask`, `bounce`.
extension ModerationAction: ExpressibleByArgument {}
