import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ParleyTestSupport
import Synchronization

/// A client of `/v1/events` (Server-Sent Events) over a real socket, with NIO's HTTP/1.1 codec:
/// events received are parsed (`id:`, `data:` as JSON) and queued; comments are counted.
final class EventStreamClient: Sendable {
    /// One event: its `id:` (if any) and its data, parsed.
    struct Event: @unchecked Sendable {
        let id: String?
        let data: [String: Any]
        var type: String? { self.data["type"] as? String }
    }

    private let events = Mutex<[Event]>([])
    private let taken = Mutex(0)
    private let comments = Mutex(0)
    private let head = Mutex<HTTPResponseHead?>(nil)
    private let body = Mutex("")
    private let ended = Mutex(false)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    /// Opens `path` (default `/v1/events`) with `token` in `Authorization` (none when nil) and
    /// `Last-Event-ID` when given; returns once the response head arrived.
    static func open(port: Int, path: String = "/v1/events", token: String?, lastEventID: String? = nil) async throws -> EventStreamClient {
        let client = EventStreamClient()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        var headers = HTTPHeaders([("Host", "127.0.0.1:\(port)"), ("Accept", "text/event-stream")])
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let lastEventID { headers.add(name: "Last-Event-ID", value: lastEventID) }
        let started = AsyncStream<Void>.makeStream()
        let task = Task {
            defer {
                client.ended.withLock { $0 = true }
                started.continuation.finish()
            }
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)))
                try await outbound.write(.end(nil))
                var pending = ""
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        client.head.withLock { $0 = head }
                        started.continuation.yield()
                    case .body(let buffer):
                        let text = String(buffer: buffer)
                        client.body.withLock { $0 += text }
                        pending += text
                        while let end = pending.range(of: "\n\n") {
                            client.parse(String(pending[..<end.lowerBound]))
                            pending = String(pending[end.upperBound...])
                        }
                    case .end: return
                    }
                }
            }
        }
        client.task.withLock { $0 = task }
        var iterator = started.stream.makeAsyncIterator()
        _ = await iterator.next()
        return client
    }

    private func parse(_ block: String) {
        var id: String?
        var data: [String] = []
        var comment = false
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { comment = true }
            if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        if comment && data.isEmpty { self.comments.withLock { $0 += 1 } }
        guard !data.isEmpty else { return }
        let text = data.joined(separator: "\n")
        let value = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? ["unparsed": text]
        self.events.withLock { $0.append(Event(id: id, data: value)) }
    }

    /// The response's status code.
    var status: Int? { self.head.withLock { $0.map { Int($0.status.code) } } }
    /// A response header.
    func header(_ name: String) -> String? { self.head.withLock { $0?.headers.first(name: name) } }
    /// The whole body received so far (for error responses).
    var text: String { self.body.withLock { $0 } }
    /// Comments (heartbeats) received so far.
    var heartbeats: Int { self.comments.withLock { $0 } }
    /// Whether the server ended the response.
    var isEnded: Bool { self.ended.withLock { $0 } }

    /// The next event, waiting up to `timeout`.
    func next(timeout: Duration = .seconds(5)) async throws -> Event {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let next: Event? = self.events.withLock { events in
                self.taken.withLock { taken in
                    guard taken < events.count else { return nil }
                    taken += 1
                    return events[taken - 1]
                }
            }
            if let next { return next }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw TestSetupError("no event within \(timeout)")
    }

    /// Events up to and including `live`.
    func untilLive(timeout: Duration = .seconds(10)) async throws -> (events: [Event], live: Event) {
        var events: [Event] = []
        let deadline = ContinuousClock.now + timeout
        while true {
            let event = try await self.next(timeout: deadline - ContinuousClock.now)
            if event.type == "live" { return (events, event) }
            events.append(event)
        }
    }

    /// Waits until the server ended the response (up to `timeout`); whether it did.
    func waitForEnd(timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !self.isEnded, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        return self.isEnded
    }

    /// Cuts the connection from the client side.
    func close() async {
        self.task.withLock { $0 }?.cancel()
        _ = try? await self.task.withLock { $0 }?.value
    }
}
