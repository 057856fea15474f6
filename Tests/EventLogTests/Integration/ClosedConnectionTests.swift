import EventLog
import Foundation
import ParleyTestSupport
import PostgresNIO
import Testing

/// Work on a connection that the database closes under it: PostgresNIO never answers a query
/// written to a closed connection (and the wait ignores cancellation), which is how a projector or
/// a transaction got stuck for good after PostgreSQL restarted. `whileOpen` and `withDeadline`
/// give such work up instead of waiting for it.
@Suite("work on a connection the database closed is given up, not waited for")
struct ClosedConnectionTests {
    /// Runs `body` with a connection to a fresh database, and a way to end that connection's
    /// session from the server's side (as a restart does).
    static func withConnection(
        _ body: @Sendable (PostgresConnection, _ terminate: @escaping @Sendable () async throws -> Void) async throws -> Void
    ) async throws {
        try await TestDatabase.with { url in
            try await TestDatabase.admin(url) { connection in
                var pid: Int32 = 0
                for try await backend in try await connection.query("SELECT pg_backend_pid()", logger: testLogger).decode(Int32.self) {
                    pid = backend
                }
                let backend = pid
                try await body(connection) {
                    try await TestDatabase.admin(url) { other in
                        try await other.query("SELECT pg_terminate_backend(\(backend))", logger: testLogger)
                    }
                    while !connection.isClosed { try await Task.sleep(for: .milliseconds(10)) }
                }
            }
        }
    }

    @Test("a query written to a connection the server closed is given up by whileOpen within its grace", .timeLimit(.minutes(1)))
    func givenUpWhenClosed() async throws {
        try await Self.withConnection { connection, terminate in
            let started = ContinuousClock.now
            // The driver's own error when it still sees the query, else the give-up.
            await #expect(throws: (any Error).self) {
                try await connection.whileOpen(grace: .milliseconds(500)) { connection in
                    try await terminate()
                    // Written to a closed connection: PostgresNIO may never answer it.
                    try await connection.query("SELECT 1", logger: testLogger)
                }
            }
            #expect(ContinuousClock.now - started < .seconds(5), "given up after \(ContinuousClock.now - started)")
        }
    }

    @Test("a transaction whose connection closes is given up by whileOpen, its COMMIT unanswered", .timeLimit(.minutes(1)))
    func transactionGivenUp() async throws {
        try await Self.withConnection { connection, terminate in
            await #expect(throws: (any Error).self) {
                try await connection.whileOpen(grace: .milliseconds(500)) { connection in
                    try await connection.withTransaction(logger: testLogger) { _ in try await terminate() }
                }
            }
        }
    }

    @Test("cancelling the caller of whileOpen closes the connection and ends the wait", .timeLimit(.minutes(1)))
    func cancelClosesTheConnection() async throws {
        try await Self.withConnection { connection, _ in
            let waiting = Task {
                try await connection.whileOpen(grace: .milliseconds(500)) { connection in
                    try await connection.query("SELECT pg_sleep(60)", logger: testLogger)
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            waiting.cancel()
            await #expect(throws: (any Error).self) { try await waiting.value }
            #expect(connection.isClosed)
        }
    }

    @Test("withDeadline ends at its deadline even when the work never answers", .timeLimit(.minutes(1)))
    func deadlineWalksAway() async throws {
        try await Self.withConnection { connection, terminate in
            try await terminate()
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await withDeadline(.milliseconds(500), "a query on a closed connection") {
                    try await connection.query("SELECT 1", logger: testLogger)
                }
            }
            #expect(ContinuousClock.now - started < .seconds(5), "ended after \(ContinuousClock.now - started)")
        }
    }
}
