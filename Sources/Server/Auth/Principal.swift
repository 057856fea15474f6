import EventLog
import Projections

/// Who is calling: a marketplace user, by the token the marketplace issued them, or the
/// marketplace's own backend, by its platform API key.
enum Principal: Hashable, Sendable {
    /// A user: a buyer or a vendor sees their own conversations; staff see every conversation.
    case user(id: String, role: UserRole)
    /// The marketplace's backend (server-to-server): listings, profiles and order states.
    case platform

    /// The user's id, or nil for the platform.
    var userId: String? {
        if case .user(let id, _) = self { id } else { nil }
    }

    /// Whether this is a staff user.
    var isStaff: Bool {
        if case .user(_, .staff) = self { true } else { false }
    }

    /// How the log records this caller as the actor of an event.
    var actor: String {
        switch self {
        case .user(let id, _): EventMetadata.userActor(id)
        case .platform: "platform"
        }
    }
}
