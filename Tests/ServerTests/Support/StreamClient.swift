import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket
import ParleyTestSupport
import Synchronization

/// A WebSocket client of `/v1/stream` over a real socket: frames received are queued as parsed
/// JSON; the close code the server sent is kept.
final class StreamClient: Sendable {
    /// How the token travels.
    enum Carrier { case header, subprotocol, query }

    private let received = Mutex<[String]>([])
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let task = Mutex<Task<WebSocketCloseFrame?, any Error>?>(nil)
    private let taken = Mutex<Set<Int>>([])

    /// Connects with `token`; throws when the upgrade is refused.
    static func connect(port: Int, token: String, carrier: Carrier = .header, maxFrameSize: Int = 1 << 20) async throws -> StreamClient {
        let client = StreamClient()
        var headers: HTTPFields = [:]
        var url = "ws://127.0.0.1:\(port)/v1/stream"
        switch carrier {
        case .header: headers[.authorization] = "Bearer \(token)"
        case .subprotocol: headers[.secWebSocketProtocol] = "parley.v1, bearer.\(token)"
        case .query: url += "?access_token=\(token)"
        }
        let connected = AsyncStream<Bool>.makeStream()
        let task = Task {
            defer { connected.continuation.finish() }
            return try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: maxFrameSize, additionalHeaders: headers), logger: testLogger
            ) { inbound, outbound, _ in
                client.writer.withLock { $0 = outbound }
                connected.continuation.yield(true)
                for try await message in inbound.messages(maxSize: maxFrameSize) {
                    if case .text(let text) = message { client.received.withLock { $0.append(text) } }
                }
            }
        }
        client.task.withLock { $0 = task }
        var iterator = connected.stream.makeAsyncIterator()
        guard await iterator.next() == true else {
            _ = try await task.value
            throw TestSetupError("the upgrade was refused")
        }
        return client
    }

    /// Sends a text frame.
    func send(_ text: String) async throws {
        guard let writer = self.writer.withLock({ $0 }) else { throw TestSetupError("not connected") }
        try await writer.write(.text(text))
    }

    /// Sends `hello` with an offset and epoch.
    func hello(offset: Int64? = nil, epoch: String? = nil) async throws {
        let offsetText = offset.map(String.init) ?? "null"
        let epochText = epoch.map { "\"\($0)\"" } ?? "null"
        try await self.send(#"{"type":"hello","offset":\#(offsetText),"epoch":\#(epochText)}"#)
    }

    /// The next frame not yet taken, waiting up to `timeout`.
    func next(timeout: Duration = .seconds(5)) async throws -> [String: Any] {
        try await self.take(timeout: timeout) { _ in true }
    }

    /// The first frame of `type` not yet taken, waiting up to `timeout`; frames of other types
    /// stay queued for later calls.
    func next(type: String, timeout: Duration = .seconds(5)) async throws -> [String: Any] {
        try await self.take(timeout: timeout) { $0["type"] as? String == type }
    }

    private func take(timeout: Duration, where matches: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let frames = self.received.withLock { $0 }
            let taken = self.taken.withLock { $0 }
            for (index, text) in frames.enumerated() where !taken.contains(index) {
                let frame = (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
                if matches(frame) {
                    self.taken.withLock { _ = $0.insert(index) }
                    return frame
                }
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw TestSetupError("no matching frame within \(timeout)")
    }

    /// Frames received and not yet taken, without waiting.
    var pending: Int { self.received.withLock { $0.count } - self.taken.withLock { $0.count } }

    /// Reads frames until `live`; returns those before it.
    func untilLive(timeout: Duration = .seconds(10)) async throws -> (frames: [[String: Any]], live: [String: Any]) {
        var frames: [[String: Any]] = []
        let deadline = ContinuousClock.now + timeout
        while true {
            let frame = try await self.next(timeout: deadline - ContinuousClock.now)
            if frame["type"] as? String == "live" { return (frames, frame) }
            frames.append(frame)
        }
    }

    /// Closes the connection from the client side.
    func close() async {
        try? await self.writer.withLock({ $0 })?.close(.normalClosure, reason: nil)
        _ = try? await self.task.withLock({ $0 })?.value
    }

    /// The close code the server sent, once the connection ended (waiting up to `timeout`).
    func closeCode(timeout: Duration = .seconds(10)) async throws -> Int? {
        guard let task = self.task.withLock({ $0 }) else { return nil }
        let frame = try await withThrowingTaskGroup(of: WebSocketCloseFrame??.self) { group in
            group.addTask { try await task.value }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .some(nil)
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        guard let frame, let frame else { return nil }
        return Self.number(frame.closeCode)
    }

    private static func number(_ code: WebSocketErrorCode) -> Int {
        switch code {
        case .normalClosure: 1000
        case .goingAway: 1001
        case .protocolError: 1002
        case .unacceptableData: 1003
        case .dataInconsistentWithMessage: 1007
        case .policyViolation: 1008
        case .messageTooLarge: 1009
        case .missingExtension: 1010
        case .unexpectedServerError: 1011
        case .unknown(let value): Int(value)
        }
    }
}
