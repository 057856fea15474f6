import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import NIOPosix
import Synchronization

/// One simulated device: a WebSocket to `/v1/stream` that says hello with its last offset and
/// tracks what it receives. Frames are scanned, not parsed, to leave the CPU to the server.
final class BenchClient: Sendable {
    let user: String
    let token: String
    private let state = Mutex(State())
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)

    struct State: Sendable {
        var offset: Int64?
        var epoch: String?
        var live = false
        /// ``now()`` when `live` arrived on the latest connection.
        var liveAt: Double?
        var snapshot = false
        var updates = 0
        var connected = false
    }

    /// Who hears every frame a client receives.
    protocol Sink: AnyObject, Sendable {
        func received(_ frame: String, by client: BenchClient)
    }

    init(user: String, token: String) {
        self.user = user
        self.token = token
    }

    var snapshotState: State { self.state.withLock { $0 } }

    /// Connects to `host`, says hello with the offset it has (if `resume`), and runs until the
    /// socket closes; `sink` hears every frame. Returns once `live` arrived (or the connection failed).
    func connect(host: String, port: Int, resume: Bool, group: any EventLoopGroup, sink: any Sink) async -> Task<Void, Never> {
        let (offset, epoch) = self.state.withLock { state in
            state.live = false
            state.liveAt = nil
            state.snapshot = false
            state.updates = 0
            return resume ? (state.offset, state.epoch) : (nil, nil)
        }
        let ready = AsyncStream<Void>.makeStream()
        let task = Task {
            defer { ready.continuation.finish() }
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(self.token)"
            _ = try? await WebSocketClient.connect(
                url: "ws://\(host):\(port)/v1/stream", configuration: .init(maxFrameSize: 1 << 22, additionalHeaders: headers, autoPing: .disabled),
                eventLoopGroup: group, logger: benchLogger
            ) { inbound, outbound, _ in
                self.writer.withLock { $0 = outbound }
                self.state.withLock { $0.connected = true }
                let hello = #"{"type":"hello","offset":\#(offset.map(String.init) ?? "null"),"epoch":\#(epoch.map { "\"\($0)\"" } ?? "null")}"#
                try await outbound.write(.text(hello))
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case .text(let frame) = message else { continue }
                    self.observe(frame)
                    if frame.hasPrefix(#"{"type":"live""#) { ready.continuation.yield() }
                    sink.received(frame, by: self)
                }
            }
            self.writer.withLock { $0 = nil }
            self.state.withLock { $0.connected = false }
        }
        var iterator = ready.stream.makeAsyncIterator()
        await iterator.next()
        return task
    }

    private func observe(_ frame: String) {
        let offset = Scan.integer(after: #""offset":"#, in: frame)
        let at = now()
        self.state.withLock { state in
            if frame.hasPrefix(#"{"type":"update""#) {
                state.updates += 1
                if let offset { state.offset = offset }
            } else if frame.hasPrefix(#"{"type":"live""#) {
                state.live = true
                state.liveAt = at
                if let offset { state.offset = offset }
                state.epoch = Scan.string(after: #""epoch":""#, in: frame)
            } else if frame.hasPrefix(#"{"type":"snapshot""#) {
                state.snapshot = true
            }
        }
    }

    /// Sends a text frame (dropped if not connected).
    func send(_ text: String) async {
        guard let writer = self.writer.withLock({ $0 }) else { return }
        try? await writer.write(.text(text))
    }

    /// Closes the socket.
    func close() async {
        guard let writer = self.writer.withLock({ $0 }) else { return }
        try? await writer.close(.normalClosure, reason: nil)
    }
}

/// Finds values in JSON text without parsing it.
enum Scan {
    static func integer(after key: String, in text: String) -> Int64? {
        guard let range = text.range(of: key) else { return nil }
        var value: Int64 = 0
        var found = false
        for byte in text[range.upperBound...].utf8 {
            guard byte >= 48 && byte <= 57 else { break }
            value = value * 10 + Int64(byte - 48)
            found = true
        }
        return found ? value : nil
    }

    static func string(after key: String, in text: String) -> String? {
        guard let range = text.range(of: key) else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

let benchLogger: Logger = {
    var logger = Logger(label: "parley-bench")
    logger.logLevel = .critical
    return logger
}()
