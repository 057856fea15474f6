import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Projections

/// `GET /v1/events`: the stream over Server-Sent Events, for clients that cannot keep a WebSocket.
/// The same frames as `/v1/stream`, each the `data:` of one event; updates, the last snapshot page
/// and `live` carry their offset as the event's `id:`, so `Last-Event-ID` resumes exactly like
/// `hello`. Comments keep idle connections open through proxies; the same bounded outbox closes a
/// slow consumer, which is then sent a `close` frame (4409) before the response ends.
struct ServerSentEvents: Sendable {
    let settings: StreamEndpoint.Settings
    let feed: LiveFeed

    func add(to router: Router<ParleyContext>, verifier: TokenVerifier) {
        router.group("v1/events")
            .add(middleware: AuthMiddleware(verifier: verifier, allowQueryToken: true))
            .get { request, context in try await self.open(request, context) }
    }

    private func open(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let user = try context.user().id
        let resume = try ResumePoint(of: request)
        do {
            try await self.feed.catchUp(resuming: resume.offset, epoch: resume.epoch(current: await self.feed.epoch))
        } catch {
            throw error.apiError
        }
        let outbox = Outbox(capacity: self.settings.queueFrames)
        let (id, start) = try await self.feed.subscribe(user, outbox, resume)
        let (epoch, pageRows) = (await self.feed.epoch, self.settings.snapshotPageRows)
        let heartbeat = self.settings.heartbeat
        let expires = context.credentialsExpire
        let feed = self.feed
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let timers = Task {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            while (try? await Task.sleep(for: heartbeat)) != nil { outbox.send(.keepAlive) }
                        }
                        if let expires {
                            group.addTask {
                                try? await Task.sleep(for: .milliseconds(max(0, Int64(expires.timeIntervalSinceNow * 1_000))))
                                if !Task.isCancelled { outbox.close(.tokenExpired) }
                            }
                        }
                    }
                }
                defer { timers.cancel() }
                do {
                    try await writer.write(Self.retry(milliseconds: 1_000))
                    try await CatchUp.send(start, of: user, epoch: epoch, pageRows: pageRows, feed: feed) { frame in
                        try await writer.write(Self.event(frame.bytes, id: frame.offset))
                    }
                    for await outgoing in outbox.frames {
                        switch outgoing {
                        case .update(let update):
                            // Updates queued while a snapshot was read that the snapshot already holds.
                            guard update.position > start.live else { continue }
                            try await writer.write(Self.event(WireFormat.frame(update), id: update.position))
                        case .frame(let bytes): try await writer.write(Self.event(bytes, id: nil))
                        case .keepAlive: try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                    if let reason = outbox.closeReason { try await writer.write(Self.event(ServerFrames.close(reason), id: nil)) }
                    try await writer.finish(nil)
                } catch let error as LiveFeed.CatchingUp {
                    // The client is told to resume again shortly, as a WebSocket client is; if it
                    // went away meanwhile there is nobody to tell.
                    try? await writer.write(Self.event(ServerFrames.close(error.reason), id: nil))
                    try? await writer.finish(nil)
                } catch {
                    // The client went away; the subscription ends below.
                }
                outbox.finish()
                await feed.unsubscribe(user: user, id: id)
            })
    }

    /// One event: `id:` when the frame carries an offset, the frame's JSON (one line) as `data:`.
    static func event(_ json: [UInt8], id: Int64?) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.count + 32)
        if let id { buffer.writeString("id: \(id)\n") }
        buffer.writeString("data: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }

    /// How long an `EventSource` waits before it reconnects.
    static func retry(milliseconds: Int) -> ByteBuffer {
        ByteBuffer(string: "retry: \(milliseconds)\n\n")
    }
}
