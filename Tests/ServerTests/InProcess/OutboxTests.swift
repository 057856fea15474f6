@testable import Server
import Testing

/// The bounded queue between the live feed and a connection's writer, in-process: a frame that
/// does not fit closes it as a slow consumer, and the writer still gets what was queued.
@Suite("The outbox of a stream connection")
struct OutboxTests {
    /// Everything the writer would take, until the outbox ends.
    private static func drain(_ outbox: Outbox) async -> [[UInt8]] {
        var frames: [[UInt8]] = []
        for await outgoing in outbox.frames {
            if case .frame(let bytes) = outgoing { frames.append(bytes) }
        }
        return frames
    }

    @Test("a full queue refuses the next frame and closes as a slow consumer; the writer still gets every queued frame, in order")
    func overflowClosesAsSlowConsumer() async {
        let outbox = Outbox(capacity: 3)
        #expect((0..<3).map { outbox.send(.frame([UInt8($0)])) } == [true, true, true])
        #expect(outbox.closeReason == nil)
        #expect(!outbox.send(.frame([9])), "the fourth does not fit")
        #expect(outbox.closeReason == .slowConsumer)
        #expect(outbox.closeReason?.code == 4409)
        #expect(!outbox.send(.frame([10])), "nothing is queued once closed")
        #expect(await Self.drain(outbox) == [[0], [1], [2]])
    }

    @Test("the first close reason stays; finishing without one leaves none and queues nothing more")
    func closeReasons() async {
        let shutdown = Outbox(capacity: 2)
        shutdown.send(.frame([1]))
        shutdown.close(.serverShutdown)
        shutdown.close(.tokenExpired)
        #expect(shutdown.closeReason == .serverShutdown && shutdown.closeReason?.code == 1012)
        #expect(await Self.drain(shutdown) == [[1]])

        let gone = Outbox(capacity: 2)
        gone.finish()
        #expect(gone.closeReason == nil && !gone.send(.frame([1])))
    }
}
