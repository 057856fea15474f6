import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP/1 channel with its WebSocket upgrade, and a connection closed when its request cannot
/// be parsed.
///
/// A request the HTTP parser refuses before the upgrade negotiation is decided (a garbled request
/// line, a header section over the limit, a negative `Content-Length`) leaves hummingbird-websocket
/// waiting for a negotiation that never ends: the connection stays open, unanswered, for good.
/// A parse error on this channel closes it (after a moment, so that where Hummingbird does answer
/// one with 400, the answer goes out first).
struct ClosingUpgradeChannel: ServerChildChannel {
    /// The channel that does the work.
    let upgrading: HTTP1WebSocketUpgradeChannel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1WebSocketUpgradeChannel.Value> {
        self.upgrading.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(ParseErrorCloser())
            return value
        }
    }

    func handle(value: HTTP1WebSocketUpgradeChannel.Value, logger: Logger) async {
        await self.upgrading.handle(value: value, logger: logger)
    }
}

/// Closes its connection a moment after an HTTP parse error passes it.
private final class ParseErrorCloser: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    /// How long Hummingbird has to write its own 400 before the connection closes.
    static let grace: TimeAmount = .milliseconds(500)

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            let channel = context.channel
            channel.eventLoop.scheduleTask(in: Self.grace) { channel.close(promise: nil) }
        }
        context.fireErrorCaught(error)
    }
}
