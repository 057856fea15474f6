import Foundation
import Hummingbird
import HummingbirdWebSocket
import Projections

/// The request context of every route: Hummingbird's core storage, the WebSocket upgrade handle,
/// and the caller once ``AuthMiddleware`` has checked their credentials.
struct ParleyContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    /// The authenticated caller; nil on routes that need none (`/health`).
    var principal: Principal?
    /// When the caller's token expires: a stream connection is closed then (4401).
    var credentialsExpire: Date?

    init(source: Source) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.principal = nil
        self.credentialsExpire = nil
    }

    /// The authenticated caller.
    /// - Throws: ``APIError`` 401 when the request carried no valid credentials.
    func caller() throws(APIError) -> Principal {
        guard let principal = self.principal else { throw .unauthorized("missing_token", "send a bearer token or the platform key") }
        return principal
    }

    /// The calling user (buyer, vendor or staff).
    /// - Throws: ``APIError`` 401 without credentials, 403 for the platform key.
    func user() throws(APIError) -> (id: String, role: UserRole) {
        guard case .user(let id, let role) = try self.caller() else { throw .forbidden("this route is for users; the platform key cannot call it") }
        return (id, role)
    }

    /// The calling staff member's id.
    /// - Throws: ``APIError`` 401 without credentials, 403 for anyone but staff.
    func staff() throws(APIError) -> String {
        let (id, role) = try self.user()
        guard role == .staff else { throw .forbidden("only staff may call this route") }
        return id
    }

    /// Requires the platform key.
    /// - Throws: ``APIError`` 401 without credentials, 403 for users.
    func platform() throws(APIError) {
        guard try self.caller() == .platform else { throw .forbidden("only the platform key may call this route") }
    }
}
