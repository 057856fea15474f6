/// A problem found while reading a JSON payload: what was wrong and at which byte.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, e.g. `expected a string`.
    public let message: String
    /// The byte offset in the payload where the problem was found.
    public let offset: Int

    public var description: String { "\(self.message) at byte \(self.offset)" }
}
