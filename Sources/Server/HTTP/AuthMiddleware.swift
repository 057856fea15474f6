import Foundation
import HTTPTypes
import Hummingbird

/// Checks the credentials of every request it guards and puts the caller in the context:
/// `Authorization: Bearer <JWT>` for users, `X-Parley-Platform-Key: <key>` for the platform.
/// A request with neither, or with one that does not check out, is answered 401 and goes no further.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ParleyContext
    let verifier: TokenVerifier
    /// Whether a token may also come as a subprotocol or query parameter (WebSocket upgrades).
    var allowQueryToken = false

    func handle(_ request: Request, context: ParleyContext, next: (Request, ParleyContext) async throws -> Response) async throws -> Response {
        var context = context
        (context.principal, context.credentialsExpire) = try await self.verifier.principal(of: request, allowQueryToken: self.allowQueryToken)
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// The header carrying the platform API key.
    static let platformKey = HTTPField.Name("X-Parley-Platform-Key")!
}

extension TokenVerifier {
    /// The caller a request's headers (or, for a WebSocket upgrade, its query or subprotocol)
    /// name, and when their token expires (never, for the platform key).
    /// - Throws: ``APIError`` 401 when there are no credentials or they do not check out.
    func principal(of request: Request, allowQueryToken: Bool = false) async throws(APIError) -> (principal: Principal, expires: Date?) {
        if let key = request.headers[.platformKey] {
            guard self.isPlatformKey(key) else { throw .unauthorized("invalid_platform_key", "the platform key is not valid") }
            return (.platform, nil)
        }
        guard let token = Self.bearerToken(of: request, allowQueryToken: allowQueryToken) else {
            throw .unauthorized("missing_token", "send `Authorization: Bearer <token>` (or the platform key header)")
        }
        let (principal, expires) = try await self.user(bearer: token)
        return (principal, expires)
    }

    /// The bearer token: from `Authorization`, else (WebSocket only) from the `bearer.<token>`
    /// subprotocol or the `access_token` query parameter.
    private static func bearerToken(of request: Request, allowQueryToken: Bool) -> String? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        }
        guard allowQueryToken else { return nil }
        if let protocols = request.headers[.secWebSocketProtocol] {
            for item in protocols.split(separator: ",") {
                let name = item.trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("bearer.") { return String(name.dropFirst("bearer.".count)) }
            }
        }
        return request.uri.queryParameters.get("access_token")
    }
}
