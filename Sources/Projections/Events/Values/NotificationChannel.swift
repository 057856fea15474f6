/// A way of telling a user about something.
public enum NotificationChannel: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    case email
    case push
    case sms
    case inApp = "in_app"
}
