import HTTPTypes
import EventLog
import Projections

extension Commands {
    /// Blocks or unblocks `other` for the calling user.
    func setBlock(_ other: String, blocked: Bool, by user: Principal) async throws(APIError) -> Appended {
        guard let userId = user.userId else { throw .forbidden("only users block") }
        try self.check(id: other, "userId")
        guard other != userId else { throw .invalid("a user cannot block themself") }
        let now = self.clock()
        let event: DomainEvent =
            blocked
            ? .userBlocked(UserBlocked(blockerId: userId, blockedId: other, occurredAt: now))
            : .userUnblocked(UserUnblocked(blockerId: userId, blockedId: other, occurredAt: now))
        return try await self.append(event, by: user)
    }

    /// Saves (creates or replaces) one of the calling vendor's reply templates.
    func saveTemplate(id: String, name: String, text: String, by vendor: Principal) async throws(APIError) -> Appended {
        guard case .user(let vendorId, .vendor) = vendor else { throw .forbidden("only vendors keep reply templates") }
        try self.check(id: id, "id")
        try self.check(text: name, "name")
        try self.check(text: text, "text", limit: self.limits.messageCharacters)
        let saved = ReplyTemplateSaved(vendorId: vendorId, templateId: id, name: name, text: text, occurredAt: self.clock())
        return try await self.append(.replyTemplateSaved(saved), by: vendor)
    }

    /// Deletes one of the calling vendor's reply templates.
    /// - Throws: ``APIError`` 404 when the vendor has no such template.
    func deleteTemplate(id: String, by vendor: Principal) async throws(APIError) -> Appended {
        guard case .user(let vendorId, .vendor) = vendor else { throw .forbidden("only vendors keep reply templates") }
        try self.check(id: id, "id")
        guard try await self.settings(of: vendorId).templates[id] != nil else {
            throw .notFound("template_not_found", "you have no template \"\(id)\"")
        }
        return try await self.append(.replyTemplateDeleted(ReplyTemplateDeleted(vendorId: vendorId, templateId: id, occurredAt: self.clock())), by: vendor)
    }

    /// Turns one notification channel of one category on or off for the calling user.
    func setPreference(channel: NotificationChannel, category: NotificationCategory, enabled: Bool, by user: Principal) async throws(APIError) -> Appended {
        guard let userId = user.userId else { throw .forbidden("only users have notification preferences") }
        let change = NotificationPreferenceChanged(userId: userId, channel: channel, category: category, enabled: enabled, occurredAt: self.clock())
        return try await self.append(.notificationPreferenceChanged(change), by: user)
    }

    /// Replaces the calling user's quiet hours.
    func setQuietHours(timeZone: String, windows: [QuietHoursWindow], by user: Principal) async throws(APIError) -> Appended {
        guard let userId = user.userId else { throw .forbidden("only users have quiet hours") }
        try self.check(text: timeZone, "timeZone", limit: 64)
        guard windows.count <= 28 else { throw .invalid("at most 28 quiet-hours windows") }
        for window in windows where !(0..<1_440).contains(window.startMinute) || !(0..<1_440).contains(window.endMinute) {
            throw .invalid("quiet-hours minutes must be 0 to 1439 from midnight; got \(window.startMinute)–\(window.endMinute)")
        }
        let change = QuietHoursChanged(userId: userId, timeZone: timeZone, windows: windows, occurredAt: self.clock())
        return try await self.append(.quietHoursChanged(change), by: user)
    }

    /// A user's settings, folded from their stream: preferences, quiet hours, templates, blocks.
    func settings(of user: String) async throws(APIError) -> UserSettings {
        guard let stream = try? StreamName.user(user) else { return UserSettings() }
        var settings = UserSettings()
        for recorded in try await self.readAll(stream) { settings.apply(try Self.decode(recorded)) }
        return settings
    }
}

/// A user's settings as of their stream's last event.
struct UserSettings: Sendable, Equatable {
    /// Enabled state by channel and category; absent means the default (enabled).
    var preferences: [NotificationCategory: [NotificationChannel: Bool]] = [:]
    var quietHours: QuietHoursChanged?
    /// Reply templates by id (vendors).
    var templates: [String: ReplyTemplateSaved] = [:]
    /// Users this user blocked.
    var blocked: Set<String> = []
    var profile: UserProfileUpdated?

    mutating func apply(_ event: DomainEvent) {
        switch event {
        case .notificationPreferenceChanged(let change): self.preferences[change.category, default: [:]][change.channel] = change.enabled
        case .quietHoursChanged(let change): self.quietHours = change
        case .replyTemplateSaved(let template): self.templates[template.templateId] = template
        case .replyTemplateDeleted(let template): self.templates[template.templateId] = nil
        case .userBlocked(let block): self.blocked.insert(block.blockedId)
        case .userUnblocked(let block): self.blocked.remove(block.blockedId)
        case .userProfileUpdated(let profile): self.profile = profile
        default: break
        }
    }

    /// Whether a channel of a category is on (everything is on until turned off).
    func isEnabled(_ channel: NotificationChannel, _ category: NotificationCategory) -> Bool {
        self.preferences[category]?[channel] ?? true
    }
}
