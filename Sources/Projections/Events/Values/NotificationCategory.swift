/// What a notification is about.
public enum NotificationCategory: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    case newMessage = "new_message"
    case unreadReminder = "unread_reminder"
    case orderUpdate = "order_update"
    case marketing
}
