import HTTPTypes
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Projections

/// One client's stream: the `hello` handshake, the catch-up (missed updates or a snapshot), then
/// live updates through a bounded ``Outbox`` while the client's own frames are answered.
struct StreamConnection {
    let user: String
    let principal: Principal
    /// When the token expires; the connection closes then with 4401.
    let expires: Date?
    let endpoint: StreamEndpoint

    /// Runs the connection until the client leaves or the server closes it.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        var messages = inbound.messages(maxSize: self.endpoint.settings.maxFrameBytes).makeAsyncIterator()
        let timeout = self.endpoint.settings.helloTimeout
        let helloTimer = Task {
            try await Task.sleep(for: timeout)
            try await outbound.close(.protocolError("no hello within \(timeout)"))
        }
        let first = try await messages.next()
        helloTimer.cancel()
        guard let first else { return }
        guard case .text(let text) = first, case .hello(let offset, let epoch) = try? ClientFrame(json: text) else {
            let error = APIError(.badRequest, "hello_expected", "the first frame must be {\"type\":\"hello\",\"offset\":...,\"epoch\":...}")
            try await outbound.write(.text(String(decoding: ServerFrames.error(ref: nil, error), as: UTF8.self)))
            try await outbound.close(.protocolError(error.message))
            return
        }
        let feed = self.endpoint.feed
        do {
            try await feed.catchUp(resuming: offset, epoch: epoch)
        } catch {
            try await outbound.write(.text(String(decoding: ServerFrames.error(ref: nil, error.apiError), as: UTF8.self)))
            try await outbound.close(error.reason)
            return
        }
        let outbox = Outbox(capacity: self.endpoint.settings.queueFrames)
        let id: Int
        let start: LiveFeed.Start
        do {
            (id, start) = try await feed.subscribe(user: self.user, outbox: outbox, after: offset, epoch: epoch)
        } catch {
            try await outbound.write(.text(String(decoding: ServerFrames.error(ref: nil, error.apiError), as: UTF8.self)))
            try await outbound.close(error.reason)
            return
        }
        defer { outbox.finish() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await self.write(start, then: outbox, to: outbound)
                } catch {
                    logger.debug("stream write ended", metadata: ["error": "\(error)"])
                }
            }
            if let expires = self.expires {
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(max(0, Int64(expires.timeIntervalSinceNow * 1_000))))
                    if !Task.isCancelled { outbox.close(.tokenExpired) }
                }
            }
            do {
                while let message = try await messages.next() {
                    await self.handle(message, outbox: outbox)
                }
            } catch {
                logger.debug("stream read ended", metadata: ["error": "\(error)"])
            }
            await feed.unsubscribe(user: self.user, id: id)
            outbox.finish()
            group.cancelAll()
        }
    }

    /// Writes the catch-up, then every queued frame; closes the socket if the outbox closed for a reason.
    private func write(_ start: LiveFeed.Start, then outbox: Outbox, to outbound: WebSocketOutboundWriter) async throws {
        let feed = self.endpoint.feed
        do {
            try await CatchUp.send(start, of: self.user, epoch: await feed.epoch, pageRows: self.endpoint.settings.snapshotPageRows, feed: feed) {
                try await Self.send($0.bytes, to: outbound)
            }
        } catch let error as LiveFeed.CatchingUp {
            try await Self.send(ServerFrames.error(ref: nil, error.apiError), to: outbound)
            try await outbound.close(error.reason)
            return
        }
        for await outgoing in outbox.frames {
            switch outgoing {
            case .update(let update):
                // Updates queued while a snapshot was read that the snapshot already holds.
                guard update.position > start.live else { continue }
                try await Self.send(WireFormat.frame(update), to: outbound)
            case .frame(let bytes): try await Self.send(bytes, to: outbound)
            case .keepAlive: break
            }
        }
        if let reason = outbox.closeReason {
            try await outbound.close(reason)
        }
    }

    private static func send(_ frame: [UInt8], to outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(String(decoding: frame, as: UTF8.self)))
    }

    /// Answers one client frame; errors become error frames and the connection goes on.
    private func handle(_ message: WebSocketMessage, outbox: Outbox) async {
        guard case .text(let text) = message else {
            outbox.send(.frame(ServerFrames.error(ref: nil, APIError(.badRequest, "text_frames_only", "frames are JSON text; binary frames are not accepted"))))
            return
        }
        let frame: ClientFrame
        do {
            frame = try ClientFrame(json: text)
        } catch {
            outbox.send(.frame(ServerFrames.error(ref: error.ref, error.error)))
            return
        }
        let commands = self.endpoint.commands
        switch frame {
        case .hello:
            outbox.send(.frame(ServerFrames.error(ref: nil, APIError(.badRequest, "hello_repeated", "hello is sent once, first"))))
        case .ping(let ref):
            outbox.send(.frame(ServerFrames.pong(ref: ref)))
        case .send(let ref, let conversation, let draft):
            do {
                let ack = try await commands.send(draft, in: conversation, by: self.principal)
                outbox.send(.frame(ServerFrames.ack(ref: ref, ack)))
            } catch {
                outbox.send(.frame(ServerFrames.error(ref: ref, error)))
            }
        case .watermark(let ref, let watermark, let conversation, let upTo):
            do {
                let appended = try await commands.mark(watermark, upTo: upTo, in: conversation, by: self.principal)
                outbox.send(.frame(ServerFrames.ack(ref: ref, appended)))
            } catch {
                outbox.send(.frame(ServerFrames.error(ref: ref, error)))
            }
        case .typing(let conversationId):
            do throws(APIError) {
                guard try await self.endpoint.typingLimiter.allow(self.user) else { throw APIError.rateLimited("typing notices") }
                let conversation = try await commands.visibleConversation(conversationId, to: self.principal)
                let recipient = conversation.buyerId == self.user ? conversation.vendorId : conversation.buyerId
                try await self.endpoint.typing.publish(conversation: conversationId, typist: self.user, recipient: recipient)
            } catch {
                outbox.send(.frame(ServerFrames.error(ref: nil, error)))
            }
        }
    }
}

extension WebSocketOutboundWriter {
    /// Closes the socket with the close code and text of `reason`.
    func close(_ reason: CloseReason) async throws {
        try await self.close(.init(codeNumber: Int(reason.code)), reason: reason.text)
    }
}
