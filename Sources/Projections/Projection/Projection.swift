/// A read model built from the log: a pure function of its state and the next event.
///
/// `apply` never touches a database, a clock or randomness; it reports the row changes the event
/// causes, which a projector writes together with its checkpoint. Applying a sequence one event at
/// a time or in batches of any size gives the same state and the same rows.
public protocol Projection: Equatable, Sendable {
    /// One row change the projection asks its store to make.
    associatedtype Change: ProjectionChange

    /// The projection's name, as used for its tables and checkpoint (e.g. `inbox`).
    static var name: String { get }

    /// The projection of an empty log.
    init()

    /// Applies the next event in log order and appends the rows it changed to `changes`, leaving
    /// what `changes` held before in place: a replay or a projector reuses one buffer for many events.
    mutating func apply(_ event: ProjectedEvent, into changes: inout [Change])

    /// Every row the projection holds now, as the changes that write them into empty tables:
    /// what a rebuild writes in bulk.
    var snapshot: [Change] { get }
}

/// A row change: an upsert or insert of one row, identified by the row's key.
public protocol ProjectionChange: Hashable, Sendable {
    /// What identifies the row the change writes.
    associatedtype Key: Hashable & Sendable
    /// The key of the row the change writes; a later change with the same key supersedes it.
    var key: Key { get }
}

extension Projection {
    /// Applies the next event in log order and returns the rows it changed.
    public mutating func apply(_ event: ProjectedEvent) -> [Change] {
        var changes: [Change] = []
        self.apply(event, into: &changes)
        return changes
    }

    /// Applies events in order and returns the net row changes: for each row key, its last change,
    /// in the order the keys were first changed. What a projector writes for one batch.
    public mutating func apply(batch events: some Sequence<ProjectedEvent>) -> [Change] {
        var all: [Change] = []
        for event in events { self.apply(event, into: &all) }
        var changes: [Change] = []
        var slots: [Change.Key: Int] = [:]
        for change in all {
            if let slot = slots[change.key] {
                changes[slot] = change
            } else {
                slots[change.key] = changes.count
                changes.append(change)
            }
        }
        return changes
    }
}
