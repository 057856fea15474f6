import Foundation
import NIOCore
import NIOPosix
import ParleyTestSupport
import Synchronization

/// A WebSocket client of `/v1/stream` that reads nothing until told: a consumer too slow to keep up.
///
/// Its socket's receive buffer is a few KiB and its channel reads only when asked, so the server's
/// queue fills after a few hundred frames on any machine (a client library reading into its own
/// buffers, or a receive buffer the kernel grew to 32 MiB, would absorb thousands). It speaks
/// just enough of RFC 6455 for that: the upgrade, masked text frames out, unmasked frames in.
final class SlowStreamClient: Sendable {
    private let channel: any Channel
    private let collector: Collector

    /// Collects every byte read.
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])
        let closed = Mutex(false)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = Self.unwrapInboundIn(data)
            let read = buffer.readBytes(length: buffer.readableBytes) ?? []
            self.bytes.withLock { $0 += read }
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.closed.withLock { $0 = true }
            context.fireChannelInactive()
        }
    }

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects with `token` and completes the upgrade; from then on nothing is read until
    /// ``resumeReading()``.
    static func connect(port: Int, token: String) async throws -> SlowStreamClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 4_096)
            .channelOption(ChannelOptions.autoRead, value: false)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        let client = SlowStreamClient(channel: channel, collector: collector)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request = "GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer \(token)\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        let deadline = ContinuousClock.now + .seconds(10)
        while client.headEnd == nil {
            guard ContinuousClock.now < deadline, !collector.closed.withLock({ $0 }) else { throw TestSetupError("no upgrade response") }
            channel.read()
            try await Task.sleep(for: .milliseconds(5))
        }
        let head = String(decoding: collector.bytes.withLock { $0 }.prefix(client.headEnd!), as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 101") else { throw TestSetupError("the upgrade was refused: \(head)") }
        return client
    }

    /// Where the upgrade response ends in the bytes read.
    private var headEnd: Int? {
        let bytes = self.collector.bytes.withLock { $0 }
        guard bytes.count >= 4 else { return nil }
        return (0...(bytes.count - 4)).first { bytes[$0..<$0 + 4] == [13, 10, 13, 10] }.map { $0 + 4 }
    }

    /// Sends `hello` from nothing (a snapshot) as a masked text frame.
    func hello() async throws {
        let payload = Array(#"{"type":"hello","offset":null,"epoch":null}"#.utf8)
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        var frame: [UInt8] = [0x81, 0x80 | UInt8(payload.count)] + mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await self.channel.writeAndFlush(ByteBuffer(bytes: frame)).get()
    }

    /// Starts reading everything the server sent and sends.
    func resumeReading() async throws {
        try await self.channel.setOption(ChannelOptions.autoRead, value: true).get()
        self.channel.read()
    }

    /// The text frames read so far, parsed, and the close code if a close frame was read.
    func frames() -> (texts: [[String: Any]], closeCode: Int?) {
        let bytes = self.collector.bytes.withLock { $0 }
        var texts: [[String: Any]] = []
        var at = self.headEnd ?? bytes.count
        while at + 2 <= bytes.count {
            let opcode = bytes[at] & 0x0F
            var length = Int(bytes[at + 1] & 0x7F)
            var start = at + 2
            if length == 126 {
                guard start + 2 <= bytes.count else { break }
                length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
                start += 2
            } else if length == 127 {
                guard start + 8 <= bytes.count else { break }
                length = bytes[start..<start + 8].reduce(0) { $0 << 8 | Int($1) }
                start += 8
            }
            guard start + length <= bytes.count else { break }
            let payload = Array(bytes[start..<start + length])
            switch opcode {
            case 0x1: texts.append((try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] ?? ["unparsed": payload.count])
            case 0x8: return (texts, payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005)
            default: break
            }
            at = start + length
        }
        return (texts, nil)
    }

    /// The close code the server sent, once its close frame was read (waiting up to `timeout`).
    func closeCode(timeout: Duration) async throws -> Int? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let code = self.frames().closeCode { return code }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Closes the socket.
    func close() async {
        try? await self.channel.close()
    }
}
