extension Upcaster {
    /// FlagReviewed v2 added the decisions `restrict`, `suspend` and `restore`; a v1 payload reads unchanged.
    static let flagReviewedV1 = Upcaster(eventType: FlagReviewed.eventType, fromVersion: 1) { _ in }
}
