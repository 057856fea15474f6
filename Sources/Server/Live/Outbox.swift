import Projections
import Synchronization

/// What a stream connection's writer sends next.
enum Outgoing: Sendable {
    /// A durable update of the user's stream.
    case update(UserUpdate)
    /// A frame already encoded: an ack, an error, a pong, a typing notice.
    case frame([UInt8])
    /// Time for a heartbeat on transports that need one to keep proxies from closing an idle
    /// connection (Server-Sent Events); WebSocket writers pass over it.
    case keepAlive
}

/// Why the server closes a stream connection; each has its close code.
enum CloseReason: Sendable, Equatable {
    /// The connection's queue filled up: resume from the last offset received.
    case slowConsumer
    /// The server is shutting down: reconnect (to any instance) and resume.
    case serverShutdown
    /// The client broke the protocol.
    case protocolError(String)
    /// The client's token expired: reconnect with a new one.
    case tokenExpired
    /// The user has as many connections open as the server allows one user.
    case tooManyConnections
    /// The instance holds as many connections as it allows: try again later, or another instance.
    case overCapacity
    /// The instance's live feed has not yet reached the offset the client resumes from (it just
    /// started and is still reading the log): resume again shortly, here or through another instance.
    case catchingUp

    /// The WebSocket close code (see docs/PROTOCOL.md).
    var code: UInt16 {
        switch self {
        case .slowConsumer: 4409
        case .serverShutdown: 1012
        case .protocolError: 4400
        case .tokenExpired: 4401
        case .tooManyConnections: 4429
        case .overCapacity, .catchingUp: 1013
        }
    }

    /// The close frame's reason text.
    var text: String {
        switch self {
        case .slowConsumer: "slow consumer: resume from your last offset"
        case .serverShutdown: "server restarting: resume from your last offset"
        case .protocolError(let message): message
        case .tokenExpired: "the token expired: reconnect with a new one and resume from your last offset"
        case .tooManyConnections: "too many open streams for this user: close one first"
        case .overCapacity: "this instance is at its connection limit: retry later (or through another instance) and resume"
        case .catchingUp: "this instance is still reading the log up to your offset: resume again shortly (here or through another instance)"
        }
    }
}

/// The bounded queue between the live feed (and the connection's own reader) and the
/// connection's writer. A frame that does not fit is never dropped silently: the outbox closes
/// with ``CloseReason/slowConsumer`` and the writer, after the frames already queued, closes the
/// socket with the resume code.
final class Outbox: Sendable {
    let frames: AsyncStream<Outgoing>
    private let continuation: AsyncStream<Outgoing>.Continuation
    private let reason = Mutex<CloseReason?>(nil)

    /// An outbox holding at most `capacity` frames the writer has not taken yet.
    init(capacity: Int) {
        (self.frames, self.continuation) = AsyncStream.makeStream(of: Outgoing.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Why the outbox closed, if it did.
    var closeReason: CloseReason? { self.reason.withLock { $0 } }

    /// Queues a frame; false (and the outbox closes as a slow consumer) when the queue is full.
    @discardableResult
    func send(_ frame: Outgoing) -> Bool {
        switch self.continuation.yield(frame) {
        case .enqueued: return true
        case .dropped:
            self.close(.slowConsumer)
            return false
        case .terminated: return false
        @unknown default: return false
        }
    }

    /// Closes the outbox: the writer sends what is queued, then closes the socket for `reason`.
    func close(_ reason: CloseReason) {
        self.reason.withLock { if $0 == nil { $0 = reason } }
        self.continuation.finish()
    }

    /// Ends the outbox without a close reason (the client went away).
    func finish() { self.continuation.finish() }
}
