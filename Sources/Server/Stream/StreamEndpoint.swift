import Foundation
import Hummingbird
import HummingbirdWebSocket

/// `GET /v1/stream`: the WebSocket a client keeps open for its live updates. The upgrade is
/// refused (401) unless the request carries a valid user token: in `Authorization`, as a
/// `bearer.<token>` subprotocol beside `parley.v1`, or as the `access_token` query parameter.
struct StreamEndpoint: Sendable {
    /// Sizes and limits of stream connections.
    struct Settings: Sendable {
        /// The largest client frame accepted (larger ones close the connection with 1009).
        var maxFrameBytes = 65_536
        /// Frames a connection may have queued before it counts as a slow consumer.
        var queueFrames = 4_096
        /// Inbox rows per snapshot frame.
        var snapshotPageRows = 100
        /// How long a new connection may take to send `hello` before it is closed (4400).
        var helloTimeout: Duration = .seconds(10)
        /// How often an idle Server-Sent Events response gets a comment, so proxies keep it open.
        var heartbeat: Duration = .seconds(15)
        /// Time between WebSocket ping control frames; a client that has not answered one by the next is closed.
        var ping: Duration = .seconds(30)
        /// Streams (WebSocket, Server-Sent Events, waiting long-polls) one user may hold open on an instance.
        var maxConnectionsPerUser = 16
        /// Streams an instance holds open in all.
        var maxConnections = 20_000
    }

    static let subprotocol = "parley.v1"

    let settings: Settings
    let feed: LiveFeed
    let commands: Commands
    let typing: TypingRelay
    let typingLimiter: SharedRateLimiter

    func add(to router: Router<ParleyContext>, verifier: TokenVerifier) {
        router.group("v1/stream")
            .add(middleware: AuthMiddleware(verifier: verifier, allowQueryToken: true))
            .ws(
                shouldUpgrade: { request, context in
                    guard case .user = try context.caller() else { throw APIError.forbidden("the stream is for users; the platform key cannot open it") }
                    let offered = request.headers[.secWebSocketProtocol]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
                    return .upgrade(offered.contains(Self.subprotocol) ? [.secWebSocketProtocol: Self.subprotocol] : [:])
                },
                onUpgrade: { inbound, outbound, context in
                    guard case .user(let user, _)? = context.requestContext.principal, let principal = context.requestContext.principal else { return }
                    try await StreamConnection(user: user, principal: principal, expires: context.requestContext.credentialsExpire, endpoint: self)
                        .run(inbound: inbound, outbound: outbound, logger: context.logger)
                })
    }
}
