/// What a user is on the marketplace.
public enum UserRole: String, Codable, Hashable, Sendable, CaseIterable, JSONStringEnum {
    /// Buys from vendors.
    case buyer
    /// Sells listings.
    case vendor
    /// Works for the marketplace: moderates and mediates.
    case staff
}
