/// What kind of off-platform contact or payment a match is.
public enum ContactClass: String, Sendable, Codable, Hashable, CaseIterable {
    /// A phone number, national or international.
    case phoneNumber = "phone_number"
    /// An e-mail address.
    case emailAddress = "email_address"
    /// A URL or bare domain that is not on the marketplace's allow-list.
    case externalLink = "external_link"
    /// A handle on a social or messaging service, or a link to one (wa.me, t.me).
    case socialHandle = "social_handle"
    /// An invitation to move the conversation to a messaging app or off the platform.
    case messagingApp = "messaging_app"
    /// An invitation to pay outside the platform.
    case offPlatformPayment = "off_platform_payment"

    /// Whether the class is about paying rather than talking; policy treats the two apart.
    public var isPayment: Bool { self == .offPlatformPayment }

    /// How the statement of reasons names the class.
    var description: String {
        switch self {
        case .phoneNumber: "a phone number"
        case .emailAddress: "an e-mail address"
        case .externalLink: "a link to another website"
        case .socialHandle: "a social-media or messaging handle"
        case .messagingApp: "an invitation to continue on another app"
        case .offPlatformPayment: "an invitation to pay outside the platform"
        }
    }
}
