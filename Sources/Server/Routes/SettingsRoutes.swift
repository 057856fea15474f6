import EventLog
import Hummingbird
import Projections

/// A user's own settings: blocks, a vendor's reply templates, notification preferences and quiet hours.
struct SettingsRoutes {
    let commands: Commands
    let maxBodyBytes: Int

    struct TemplateBody: Decodable {
        var name: String
        var text: String
    }

    struct Template: Encodable {
        var id: String
        var name: String
        var text: String
        var savedAt: Timestamp
    }

    struct PreferenceBody: Decodable {
        var channel: NotificationChannel
        var category: NotificationCategory
        var enabled: Bool
    }

    struct QuietHoursBody: Decodable {
        var timeZone: String
        var windows: [QuietHoursWindow]
    }

    struct Preference: Encodable {
        var channel: NotificationChannel
        var category: NotificationCategory
        var enabled: Bool
    }

    struct Preferences: Encodable {
        var preferences: [Preference]
        var quietHours: QuietHoursBodyOut?
    }

    struct QuietHoursBodyOut: Encodable {
        var timeZone: String
        var windows: [QuietHoursWindow]
    }

    func add(to group: RouterGroup<ParleyContext>) {
        group.get("blocks") { _, context in
            let settings = try await self.commands.settings(of: try context.user().id)
            return try Response.json(["blocked": settings.blocked.sorted()])
        }
        group.put("blocks/:user") { request, context in
            try Response.json(WriteResult(try await self.commands.setBlock(try request.path("user", context), blocked: true, by: try context.caller())))
        }
        group.delete("blocks/:user") { request, context in
            try Response.json(WriteResult(try await self.commands.setBlock(try request.path("user", context), blocked: false, by: try context.caller())))
        }
        group.get("templates") { _, context in
            guard case .user(let vendor, .vendor) = try context.caller() else { throw APIError.forbidden("only vendors keep reply templates") }
            let templates = try await self.commands.settings(of: vendor).templates.values.sorted { $0.templateId < $1.templateId }
            return try Response.json(["templates": templates.map { Template(id: $0.templateId, name: $0.name, text: $0.text, savedAt: $0.occurredAt) }])
        }
        group.put("templates/:template") { request, context in
            var request = request
            let body = try await request.decode(TemplateBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.saveTemplate(
                id: try request.path("template", context), name: body.name, text: body.text, by: try context.caller())
            return try Response.json(WriteResult(appended))
        }
        group.delete("templates/:template") { request, context in
            try Response.json(WriteResult(try await self.commands.deleteTemplate(id: try request.path("template", context), by: try context.caller())))
        }
        group.get("preferences") { _, context in
            let settings = try await self.commands.settings(of: try context.user().id)
            let preferences = NotificationCategory.allCases.flatMap { category in
                NotificationChannel.allCases.map { Preference(channel: $0, category: category, enabled: settings.isEnabled($0, category)) }
            }
            let quiet = settings.quietHours.map { QuietHoursBodyOut(timeZone: $0.timeZone, windows: $0.windows) }
            return try Response.json(Preferences(preferences: preferences, quietHours: quiet))
        }
        group.put("preferences") { request, context in
            var request = request
            let body = try await request.decode(PreferenceBody.self, limit: self.maxBodyBytes)
            let appended = try await self.commands.setPreference(
                channel: body.channel, category: body.category, enabled: body.enabled, by: try context.caller())
            return try Response.json(WriteResult(appended))
        }
        group.put("preferences/quiet-hours") { request, context in
            var request = request
            let body = try await request.decode(QuietHoursBody.self, limit: self.maxBodyBytes)
            return try Response.json(WriteResult(try await self.commands.setQuietHours(timeZone: body.timeZone, windows: body.windows, by: try context.caller())))
        }
    }
}
