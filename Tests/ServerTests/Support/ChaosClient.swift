import Foundation
import ParleyTestSupport
import Synchronization

/// A chat participant that keeps going through faults, as a mobile app would: it connects to any
/// instance that is up, resumes from the last offset it applied, sends its messages with stable
/// client message ids (resending what was not acknowledged), marks what it received as read,
/// and keeps the state it applied from the stream so a run can check it against the log.
final class ChaosClient: Sendable {
    /// What the client applied and what it saw go wrong.
    struct State: Sendable {
        var offset: Int64?
        var epoch: String?
        /// The last version applied, per conversation.
        var versions: [String: Int] = [:]
        /// Message ids in the order applied, per conversation.
        var messages: [String: [String]] = [:]
        /// Updates whose version skipped past the next one.
        var gaps = 0
        /// Updates at or below a version already applied.
        var repeats = 0
        /// Snapshots after the first connection's (a resume must never need one here).
        var snapshots = 0
        /// Acknowledged messages: client message id → message id.
        var acked: [String: String] = [:]
        /// The counterpart's last message applied, and the last one marked read.
        var lastFromCounterpart: String?
        var lastRead: String?
        var connections = 0
        /// Error frames answering a send or a read (the database away, an instance stopping).
        var refused = 0
    }

    let user: String
    let token: String
    let conversationId: String
    /// How many messages the client sends.
    let count: Int
    /// Milliseconds between one send and the next (drawn anew each time): a chat spread over the
    /// faults rather than finished before the first.
    let pace: ClosedRange<Int>
    private let state = Mutex(State())

    init(user: String, token: String, conversationId: String, count: Int, pace: ClosedRange<Int>) {
        self.user = user
        self.token = token
        self.conversationId = conversationId
        self.count = count
        self.pace = pace
    }

    /// The state applied so far.
    var snapshot: State { self.state.withLock { $0 } }

    /// Whether every message the client sends is acknowledged.
    var isDone: Bool { self.state.withLock { $0.acked.count } == self.count }

    /// The client message id of message `index`.
    func clientMessageId(_ index: Int) -> String { "\(self.user)-\(index)" }

    /// Connects to one of `ports()` after another until `stop()` says so, each connection cut
    /// after a random time drawn from `cutAfter` (milliseconds).
    func run(ports: @escaping @Sendable () -> [Int], cutAfter: ClosedRange<Int>, stop: @escaping @Sendable () -> Bool) async {
        while !stop() {
            guard let port = ports().randomElement() else {
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            await self.session(port: port, for: .milliseconds(Int.random(in: cutAfter)), stop: stop)
            try? await Task.sleep(for: .milliseconds(Int.random(in: 10...150)))
        }
    }

    /// One connection: hello from the last offset applied, catch up, then send and read for
    /// `duration` (or until the connection ends or `stop()`), then cut the socket. Without
    /// `sending` it only receives: no message and no read watermark is written.
    func session(port: Int, for duration: Duration, sending: Bool = true, stop: @escaping @Sendable () -> Bool = { false }) async {
        guard let client = try? await StreamClient.connect(port: port, token: self.token) else { return }
        let (offset, epoch) = self.state.withLock { state in
            state.connections += 1
            return (state.offset, state.epoch)
        }
        guard (try? await client.hello(offset: offset, epoch: epoch)) != nil else {
            await client.close()
            return
        }
        let end = ContinuousClock.now + duration
        var live = false
        var inFlight: [String: Int] = [:]
        var next = 0
        var due = ContinuousClock.now
        while ContinuousClock.now < end, !client.hasEnded, !stop() {
            while let frame = try? await client.next(timeout: .milliseconds(20)) {
                if self.apply(frame, firstSnapshot: offset == nil) { live = true }
                if let ref = frame["ref"] as? String, let index = inFlight.removeValue(forKey: ref) {
                    self.answered(frame, message: index)
                }
            }
            guard live, sending else { continue }
            // At most two sends in flight, in order of the messages still unacknowledged.
            let acked = self.state.withLock { state in Set(state.acked.keys) }
            while inFlight.count < 2, next < self.count, ContinuousClock.now >= due {
                let index = next
                next += 1
                guard !acked.contains(self.clientMessageId(index)) else { continue }
                due = ContinuousClock.now + .milliseconds(Int.random(in: self.pace))
                let ref = "s\(index)-\(UUID().uuidString.prefix(6))"
                let frame = #"{"type":"send","id":"\#(ref)","conversationId":"\#(self.conversationId)","clientMessageId":"\#(self.clientMessageId(index))","text":"chaos message \#(index) from \#(self.user)"}"#
                guard (try? await client.send(frame)) != nil else { break }
                inFlight[ref] = index
            }
            if next >= self.count && inFlight.isEmpty { next = 0 }
            let unread = self.state.withLock { state in state.lastFromCounterpart != state.lastRead ? state.lastFromCounterpart : nil }
            if let unread, (try? await client.send(#"{"type":"read","id":"r-\#(unread)","conversationId":"\#(self.conversationId)","upToMessageId":"\#(unread)"}"#)) != nil {
                self.state.withLock { $0.lastRead = unread }
            }
        }
        await client.close()
    }

    /// Applies a frame of the stream; returns whether it was `live`.
    private func apply(_ frame: [String: Any], firstSnapshot: Bool) -> Bool {
        self.state.withLock { state in
            switch frame["type"] as? String {
            case "snapshot":
                if !firstSnapshot { state.snapshots += 1 }
                for row in frame["inbox"] as? [[String: Any]] ?? [] {
                    guard let id = row["conversationId"] as? String, let version = row["version"] as? Int else { continue }
                    state.versions[id] = version
                }
            case "live":
                state.offset = (frame["offset"] as? Int).map(Int64.init)
                state.epoch = frame["epoch"] as? String
                return true
            case "update":
                guard let offset = frame["offset"] as? Int else { return false }
                state.offset = Int64(offset)
                guard let stream = frame["stream"] as? String, stream.hasPrefix("conversation-"), let version = frame["version"] as? Int else { return false }
                let id = String(stream.dropFirst("conversation-".count))
                let applied = state.versions[id] ?? 0
                if version <= applied {
                    state.repeats += 1
                    return false
                }
                if version > applied + 1 { state.gaps += 1 }
                state.versions[id] = version
                let data = frame["data"] as? [String: Any]
                if frame["kind"] as? String == "message.added", let message = data?["messageId"] as? String {
                    state.messages[id, default: []].append(message)
                    if data?["senderId"] as? String != self.user { state.lastFromCounterpart = message }
                }
            default:
                break
            }
            return false
        }
    }

    /// Records the answer to a send: an ack, or an error (the message is sent again later).
    private func answered(_ frame: [String: Any], message index: Int) {
        self.state.withLock { state in
            if frame["type"] as? String == "ack", let id = frame["messageId"] as? String {
                state.acked[self.clientMessageId(index)] = id
            } else {
                state.refused += 1
            }
        }
    }
}
