import Projections

/// The frames that open a client's stream, the same over every transport (WebSocket, Server-Sent
/// Events, long-poll): the missed updates or the snapshot pages the feed chose, then `live`.
enum CatchUp {
    /// One frame, encoded, with the offset a client that has received it resumes from (nil for a
    /// snapshot page that is not the last: a client cut off there has not got the whole snapshot).
    struct Frame: Sendable {
        var bytes: [UInt8]
        var offset: Int64?
        /// Whether this is the `live` marker that ends the catch-up.
        var isLive = false
    }

    /// Missed updates are read from the stored index this many at a time.
    static let updatesPerRead = 1_000

    /// Sends `user`'s catch-up for `start` in `epoch` to `send`, a frame at a time: the missed
    /// updates read from `feed`'s stored index a page at a time, or the snapshot cut into pages of
    /// `pageRows` inbox rows; then `live`.
    /// - Throws: ``LiveFeed/CatchingUp`` when the missed updates cannot be read yet, or what `send` throws.
    static func send(
        _ start: LiveFeed.Start, of user: String, epoch: String, pageRows: Int, feed: LiveFeed,
        to send: (Frame) async throws -> Void
    ) async throws {
        switch start {
        case .resume(var after, let live):
            while after < live {
                let page = try await feed.missed(user, after: after, through: live, limit: Self.updatesPerRead)
                for update in page { try await send(Frame(bytes: WireFormat.frame(update), offset: update.position)) }
                guard let last = page.last, page.count == Self.updatesPerRead else { break }
                after = last.position
            }
            try await send(Frame(bytes: ServerFrames.live(offset: live, epoch: epoch), offset: live, isLive: true))
        case .snapshot(let reason, let rows, let versions, let offset):
            var first = 0
            repeat {
                let end = min(rows.count, first + pageRows)
                let last = end == rows.count
                try await send(
                    Frame(
                        bytes: ServerFrames.snapshot(reason: reason, offset: offset, epoch: epoch, rows: rows[first..<end], versions: versions, last: last),
                        offset: last ? offset : nil))
                first = end
            } while first < rows.count
            try await send(Frame(bytes: ServerFrames.live(offset: offset, epoch: epoch), offset: offset, isLive: true))
        }
    }
}
