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

    /// The catch-up for `start` in `epoch`, snapshots cut into pages of `pageRows` inbox rows.
    static func frames(_ start: LiveFeed.Start, epoch: String, pageRows: Int) -> [Frame] {
        switch start {
        case .resume(let missed, let live):
            return missed.map { Frame(bytes: WireFormat.frame($0), offset: $0.position) }
                + [Frame(bytes: ServerFrames.live(offset: live, epoch: epoch), offset: live, isLive: true)]
        case .snapshot(let reason, let rows, let versions, let offset):
            var frames: [Frame] = []
            var first = 0
            repeat {
                let end = min(rows.count, first + pageRows)
                let last = end == rows.count
                frames.append(
                    Frame(
                        bytes: ServerFrames.snapshot(reason: reason, offset: offset, epoch: epoch, rows: rows[first..<end], versions: versions, last: last),
                        offset: last ? offset : nil))
                first = end
            } while first < rows.count
            frames.append(Frame(bytes: ServerFrames.live(offset: offset, epoch: epoch), offset: offset, isLive: true))
            return frames
        }
    }
}
