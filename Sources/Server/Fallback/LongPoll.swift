import Hummingbird
import NIOCore
import Projections

/// `GET /v1/updates?offset=&epoch=&wait=&limit=`: the stream as long-polling, for clients that
/// can keep neither a WebSocket nor an event stream. Answers at once with the updates after
/// `offset` (at most `limit`, with the offset to ask from next), or waits up to `wait` seconds for
/// the first one; answers with the snapshot pages where the stream would send a snapshot. Each
/// answer is exactly the stream's frames between two offsets: polling from each answer's
/// `offset` sees every update once, in order.
struct LongPoll: Sendable {
    let settings: StreamEndpoint.Settings
    let feed: LiveFeed

    /// The longest wait a poll may ask for, in seconds.
    static let maximumWait: Int64 = 60
    /// How long a poll that got its first update waits for more before it answers.
    static let linger: Duration = .milliseconds(20)

    func add(to api: RouterGroup<ParleyContext>) {
        api.get("updates") { request, context in try await self.poll(request, context) }
    }

    private func poll(_ request: Request, _ context: ParleyContext) async throws -> Response {
        let user = try context.user().id
        let resume = try ResumePoint(of: request)
        let wait = try request.integer("wait", default: 25, in: 0...Self.maximumWait)
        let limit = Int(try request.integer("limit", default: 500, in: 1...5_000))
        do {
            try await self.feed.catchUp(resuming: resume.offset, epoch: resume.epoch(current: await self.feed.epoch))
        } catch {
            throw error.apiError
        }
        let epoch = await self.feed.epoch
        let outbox = Outbox(capacity: limit)
        let (id, start) = try await self.feed.subscribe(user, outbox, resume)
        defer { outbox.finish() }
        let answer: Answer
        switch start {
        case .snapshot:
            var frames: [CatchUp.Frame] = []
            try await CatchUp.send(start, of: user, epoch: epoch, pageRows: self.settings.snapshotPageRows, feed: self.feed) { frames.append($0) }
            answer = Answer(frames: frames.filter { !$0.isLive }.map(\.bytes), offset: frames.last?.offset ?? 0, more: false)
        case .resume(let after, let live):
            let missed: [UserUpdate]
            do {
                missed = after < live ? try await self.feed.missed(user, after: after, through: live, limit: limit) : []
            } catch {
                await self.feed.unsubscribe(user: user, id: id)
                throw error.apiError
            }
            if let last = missed.last {
                let more = missed.count == limit && last.position < live
                answer = Answer(frames: missed.map(WireFormat.frame), offset: more ? last.position : live, more: more)
            } else {
                answer = await Self.await(outbox, upTo: limit, for: .seconds(wait), from: live)
            }
        }
        await self.feed.unsubscribe(user: user, id: id)
        return Response.json(answer.json(epoch: epoch))
    }

    /// What a poll answers: frames, the offset to poll from next, and whether more are waiting.
    private struct Answer {
        var frames: [[UInt8]]
        var offset: Int64
        var more: Bool

        func json(epoch: String) -> [UInt8] {
            var writer = JSONWriter(capacity: 64 + self.frames.reduce(0) { $0 + $1.count + 1 })
            writer.beginObject()
            writer.key("epoch")
            writer.string(epoch)
            writer.key("offset")
            writer.int(self.offset)
            writer.key("more")
            writer.bool(self.more)
            writer.key("frames")
            writer.beginArray()
            for frame in self.frames { writer.raw(frame) }
            writer.endArray()
            writer.endObject()
            return writer.bytes
        }
    }

    /// The live updates `outbox` receives within `timeout` (answering soon after the first), as
    /// an answer continuing from `live`.
    private static func await(_ outbox: Outbox, upTo limit: Int, for timeout: Duration, from live: Int64) async -> Answer {
        let deadline = Task {
            try? await Task.sleep(for: timeout)
            outbox.finish()
        }
        defer { deadline.cancel() }
        var lingering: Task<Void, Never>?
        defer { lingering?.cancel() }
        var updates: [UserUpdate] = []
        for await outgoing in outbox.frames {
            guard case .update(let update) = outgoing, update.position > live else { continue }
            updates.append(update)
            if updates.count == limit { break }
            if lingering == nil {
                lingering = Task {
                    try? await Task.sleep(for: Self.linger)
                    outbox.finish()
                }
            }
        }
        // A full outbox closed as a slow consumer keeps the oldest updates: the next poll goes on
        // from the last one taken.
        let more = updates.count == limit || outbox.closeReason == .slowConsumer
        return Answer(frames: updates.map(WireFormat.frame), offset: updates.last?.position ?? live, more: more)
    }
}
