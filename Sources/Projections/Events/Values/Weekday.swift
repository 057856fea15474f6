/// A day of the week.
public enum Weekday: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday
}
