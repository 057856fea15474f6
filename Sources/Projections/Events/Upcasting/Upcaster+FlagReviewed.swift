extension Upcaster {
    /// FlagReviewed v2 added the decisions `restrict` and `suspend`; a v1 payload reads unchanged.
    static let flagReviewedV1 = Upcaster(eventType: FlagReviewed.eventType, fromVersion: 1) { _ in }
}
