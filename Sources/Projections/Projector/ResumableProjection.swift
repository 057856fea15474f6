public import Logging
public import PostgresNIO

/// A stored projection whose state is its rows: its projector starts at the checkpoint without
/// replaying the log, and for each page loads only the rows the page's events touch, applies the
/// pure logic to them and writes the changed rows back (with the checkpoint, in one transaction).
/// Memory is bounded by a page's rows, not by the log.
///
/// What an event reads is named by selectors: most projections name rows by their keys, and a
/// projection that must find rows by another column (the conversations of an order, say) names
/// them by a selector of its own and says in ``selects(_:_:)`` which rows it means.
///
/// The pure part is testable without a database: applying a page to `init(restoring:)` of the
/// rows its selectors select must give the changes a full replay gives for that page.
public protocol ResumableProjection: StoredProjection {
    /// What names the stored rows an event reads: by default a row's key.
    associatedtype RowSelector: Hashable & Sendable = Change.Key

    /// The selectors of the stored rows applying `event` reads or changes (rows it only inserts,
    /// and never reads, need none).
    static func rowSelectors(of event: ProjectedEvent) -> [RowSelector]

    /// Whether `selector` selects the stored row that `row` (the change that wrote it) is.
    static func selects(_ selector: RowSelector, _ row: Change) -> Bool

    /// The rows among `rows` that `selectors` select: by default those a selector ``selects(_:_:)``;
    /// a projection whose selected rows name further rows it needs (a thread, its participants'
    /// totals) widens the selection by them, as its ``load(_:client:logger:)`` does in SQL.
    static func select(_ selectors: Set<RowSelector>, from rows: [Change]) -> [Change]

    /// The projection holding exactly these stored rows (each as the change that wrote it).
    init(restoring rows: [Change])

    /// Reads the live tables' rows that `selectors` select (those that exist), as the changes
    /// that wrote them; the SQL counterpart of ``selects(_:_:)``.
    static func load(_ selectors: [RowSelector], client: PostgresClient, logger: Logger) async throws -> [Change]
}

extension ResumableProjection where RowSelector == Change.Key {
    /// A key selects the row it is the key of.
    public static func selects(_ selector: Change.Key, _ row: Change) -> Bool { row.key == selector }
}

extension ResumableProjection {
    public static func select(_ selectors: Set<RowSelector>, from rows: [Change]) -> [Change] {
        rows.filter { row in selectors.contains { Self.selects($0, row) } }
    }

    /// The projection of the stored rows `events` touch, read from the live tables.
    static func loading(for events: [ProjectedEvent], client: PostgresClient, logger: Logger) async throws -> Self {
        var seen: Set<RowSelector> = []
        let selectors = events.flatMap(Self.rowSelectors).filter { seen.insert($0).inserted }
        return Self(restoring: selectors.isEmpty ? [] : try await Self.load(selectors, client: client, logger: logger))
    }
}
