import NIOPosix

/// Runs blocking work (libpq calls) on NIO's thread pool, off the cooperative pool.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive(work)
        } catch {
            // The singleton pool is never shut down; run inline rather than lose the work.
            return work()
        }
    }
}
