public import Logging
public import PostgresNIO

/// A stored projection whose state is its rows: its projector starts at the checkpoint without
/// replaying the log, and for each page loads only the rows the page's events touch, applies the
/// pure logic to them and writes the changed rows back (with the checkpoint, in one transaction).
/// Memory is bounded by a page's rows, not by the log.
///
/// The pure part is testable without a database: applying a page to `init(restoring:)` of the
/// rows `rowKeys(of:)` names must give the changes a full replay gives for that page.
public protocol ResumableProjection: StoredProjection {
    /// The keys of the stored rows applying `event` reads or changes.
    static func rowKeys(of event: ProjectedEvent) -> [Change.Key]

    /// The projection holding exactly these stored rows (each as the change that wrote it).
    init(restoring rows: [Change])

    /// Reads the live tables' rows of `keys` (those that exist), as the changes that wrote them.
    static func load(_ keys: [Change.Key], client: PostgresClient, logger: Logger) async throws -> [Change]
}

extension ResumableProjection {
    /// The projection of the stored rows `events` touch, read from the live tables.
    static func loading(for events: [ProjectedEvent], client: PostgresClient, logger: Logger) async throws -> Self {
        var seen: Set<Change.Key> = []
        let keys = events.flatMap(Self.rowKeys).filter { seen.insert($0).inserted }
        return Self(restoring: keys.isEmpty ? [] : try await Self.load(keys, client: client, logger: logger))
    }
}
