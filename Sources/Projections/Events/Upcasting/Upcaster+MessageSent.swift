extension Upcaster {
    /// MessageSent v1 had no `automated` flag: every message then was typed by a person.
    static let messageSentV1 = Upcaster(eventType: MessageSent.eventType, fromVersion: 1) { payload in
        if payload["automated"] == nil { payload.set("automated", .bool(false)) }
    }

    /// MessageSent v2 had no `withheld` member: every message then was delivered.
    static let messageSentV2 = Upcaster(eventType: MessageSent.eventType, fromVersion: 2) { _ in }
}
