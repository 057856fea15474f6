/// Where an order is in its life.
public enum OrderState: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    case placed
    case confirmed
    case inProgress = "in_progress"
    case delivered
    case completed
    case disputed
    case cancelled
}
