import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import ParleyTestSupport
import Synchronization

/// A WebSocket client of `/v1/stream` over a real socket: frames received are queued as parsed
/// JSON; the close code the server sent is kept.
final class StreamClient: Sendable {
    /// How the token travels.
    enum Carrier { case header, subprotocol, query }

    /// A parsed frame (JSON objects are not Sendable; these are never mutated).
    struct Frame: @unchecked Sendable { let value: [String: Any] }

    private let received = Mutex<[Frame]>([])
    private let firstUntaken = Mutex(0)
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let task = Mutex<Task<WebSocketCloseFrame?, any Error>?>(nil)
    private let taken = Mutex<Set<Int>>([])
    /// How the connection ended (the server's close frame, or the error), once it has.
    private let ended = Mutex<Result<WebSocketCloseFrame?, any Error>?>(nil)

    /// Connects with `token`; throws when the upgrade is refused.
    static func connect(
        port: Int, token: String, carrier: Carrier = .header, maxFrameSize: Int = 1 << 20
    ) async throws -> StreamClient {
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
            do {
                let frame = try await Self.run(client, url, headers, maxFrameSize, connected.continuation)
                client.ended.withLock { $0 = .success(frame) }
                return frame
            } catch {
                client.ended.withLock { $0 = .failure(error) }
                throw error
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

    /// Runs the connection: queues the frames read until it closes.
    private static func run(
        _ client: StreamClient, _ url: String, _ headers: HTTPFields, _ maxFrameSize: Int, _ connected: AsyncStream<Bool>.Continuation
    ) async throws -> WebSocketCloseFrame? {
        try await WebSocketClient.connect(
            url: url, configuration: .init(maxFrameSize: maxFrameSize, additionalHeaders: headers), logger: testLogger
        ) { inbound, outbound, _ in
            client.writer.withLock { $0 = outbound }
            connected.yield(true)
            for try await message in inbound.messages(maxSize: maxFrameSize) {
                guard case .text(let text) = message else { continue }
                let value = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? ["unparsed": text]
                client.received.withLock { $0.append(Frame(value: value)) }
            }
        }
    }

    /// Connects, says hello from `offset` (none: a snapshot) and reads up to `live`.
    static func live(
        port: Int, token: String, carrier: Carrier = .header, offset: Int64? = nil, epoch: String? = nil
    ) async throws -> (client: StreamClient, frames: [[String: Any]], live: [String: Any]) {
        let client = try await Self.connect(port: port, token: token, carrier: carrier)
        try await client.hello(offset: offset, epoch: epoch)
        let (frames, live) = try await client.untilLive()
        return (client, frames, live)
    }

    /// Connects, reads up to `live` and leaves: the offset and epoch a client that goes away now
    /// resumes from.
    static func resumePoint(port: Int, token: String) async throws -> (offset: Int, epoch: String) {
        let (client, _, live) = try await Self.live(port: port, token: token)
        await client.close()
        guard let offset = live["offset"] as? Int, let epoch = live["epoch"] as? String else { throw TestSetupError("live without offset or epoch: \(live)") }
        return (offset, epoch)
    }

    /// Sends a text frame.
    func send(_ text: String) async throws {
        guard let writer = self.writer.withLock({ $0 }) else { throw TestSetupError("not connected") }
        try await writer.write(.text(text))
    }

    /// Sends a binary frame.
    func sendBinary(_ bytes: [UInt8]) async throws {
        guard let writer = self.writer.withLock({ $0 }) else { throw TestSetupError("not connected") }
        try await writer.write(.binary(ByteBuffer(bytes: bytes)))
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

    /// The first frame not yet taken that `matches`, waiting up to `timeout`; frames that do not
    /// match stay queued.
    func next(timeout: Duration, where matches: ([String: Any]) -> Bool) async throws -> [String: Any] {
        try await self.take(timeout: timeout, where: matches)
    }

    private func take(timeout: Duration, where matches: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (frames, start) = (self.received.withLock { $0 }, self.firstUntaken.withLock { $0 })
            let taken = self.taken.withLock { $0 }
            for index in start..<frames.count where !taken.contains(index) && matches(frames[index].value) {
                self.taken.withLock { _ = $0.insert(index) }
                self.firstUntaken.withLock { first in
                    while self.taken.withLock({ $0.contains(first) }) { first += 1 }
                }
                return frames[index].value
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw TestSetupError("no matching frame within \(timeout)")
    }

    /// Whether the connection has ended (closed by either side, or failed).
    var hasEnded: Bool { self.ended.withLock { $0 != nil } }

    /// The close code the server sent, once the connection ended with a close frame.
    var endedCode: Int? {
        guard case .success(let frame?) = self.ended.withLock({ $0 }) else { return nil }
        return Self.number(frame.closeCode)
    }

    /// The next frame received and not yet taken, without waiting; nil when there is none.
    func takeReceived() -> [String: Any]? {
        var index = self.firstUntaken.withLock { $0 }
        while self.taken.withLock({ $0.contains(index) }) { index += 1 }
        guard let value = self.received.withLock({ index < $0.count ? $0[index].value : nil }) else { return nil }
        self.taken.withLock { _ = $0.insert(index) }
        self.firstUntaken.withLock { first in
            while self.taken.withLock({ $0.contains(first) }) { first += 1 }
        }
        return value
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

    /// Closes the connection from the client side, waiting up to two seconds for the server's
    /// close frame before dropping the connection (a server stopped in its tracks never answers).
    func close() async {
        try? await self.writer.withLock({ $0 })?.close(.normalClosure, reason: nil)
        let deadline = ContinuousClock.now + .seconds(2)
        while !self.hasEnded, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        guard let task = self.task.withLock({ $0 }) else { return }
        if !self.hasEnded { task.cancel() }
        _ = try? await task.value
    }

    /// The close code the server sent, once the connection ended (waiting up to `timeout`).
    /// Polls rather than awaiting the connection's task: awaiting a task's value ignores
    /// cancellation, so a connection that never closed would outlast any timeout.
    func closeCode(timeout: Duration = .seconds(10)) async throws -> Int? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let ended = self.ended.withLock({ $0 }) { return try ended.get().map { Self.number($0.closeCode) } }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
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
