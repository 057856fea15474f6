/// How much was said on one UTC day in conversations of one subject kind.
public struct MessageVolumeRow: Hashable, Sendable {
    /// What identifies a row: the day and the subject kind.
    public struct Key: Hashable, Sendable {
        /// The UTC day of the events' `occurredAt`.
        public var day: UTCDay
        /// The conversations' subject kind.
        public var subjectKind: ConversationSubject.Kind
    }

    /// The UTC day of the events' `occurredAt`.
    public var day: UTCDay
    /// The conversations' subject kind.
    public var subjectKind: ConversationSubject.Kind
    /// Conversations started that day.
    public var conversationsStarted: Int
    /// Messages sent that day, automated ones included.
    public var messages: Int
    /// Of ``messages``, those sent by automations.
    public var automatedMessages: Int

    /// The row's key.
    public var key: Key { Key(day: self.day, subjectKind: self.subjectKind) }
}
