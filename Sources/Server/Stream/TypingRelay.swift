import EventLog
import Foundation
import Logging
import PostgresNIO
import Projections
import ServiceLifecycle

/// Carries typing notices between server instances through PostgreSQL's NOTIFY: not logged, not
/// durable, gone in seconds. Every instance listens and hands a notice to its own connections of
/// the recipient; the sender's instance hears its own notice the same way.
struct TypingRelay: Service {
    static let channel = "parley_typing"
    /// How long a client shows a typing indicator unless refreshed.
    static let lifetimeMilliseconds: Int64 = 5_000

    let client: PostgresClient
    let feed: LiveFeed
    let logger: Logger

    private struct Notice: Codable {
        /// Conversation, typist, recipient.
        var c: String
        var u: String
        var r: String
    }

    /// Tells `recipient`'s connections, on every instance, that `typist` is typing in `conversation`.
    func publish(conversation: String, typist: String, recipient: String) async throws(APIError) {
        let payload = String(decoding: try! JSONEncoder().encode(Notice(c: conversation, u: typist, r: recipient)), as: UTF8.self)
        do {
            try await self.client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: self.logger)
        } catch {
            throw .unavailable("the typing notice could not be sent; it is not retried")
        }
    }

    /// Listens until shutdown, reconnecting after failures.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Backoff(initial: .milliseconds(200))
            while !Task.isCancelled {
                do {
                    try await self.client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notifications in
                            backoff.reset()
                            for try await notification in notifications { await self.deliver(notification.payload) }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    self.logger.warning("typing notices lost; reconnecting", metadata: ["error": "\(error)"])
                    await backoff.sleep()
                }
            }
        }
    }

    private func deliver(_ payload: String) async {
        guard let notice = try? JSONDecoder().decode(Notice.self, from: Data(payload.utf8)) else { return }
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("type")
        writer.string("typing")
        writer.key("conversationId")
        writer.string(notice.c)
        writer.key("userId")
        writer.string(notice.u)
        writer.key("expiresInMs")
        writer.int(Self.lifetimeMilliseconds)
        writer.endObject()
        await self.feed.deliverEphemeral(writer.bytes, to: notice.r)
    }
}
