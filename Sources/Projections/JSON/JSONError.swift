/// A problem found while reading a JSON payload: what was wrong and at which byte.
struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, e.g. `expected a string`.
    let message: String
    /// The byte offset in the payload where the problem was found.
    let offset: Int

    var description: String { "\(self.message) at byte \(self.offset)" }
}
