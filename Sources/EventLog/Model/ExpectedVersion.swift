/// What an append expects of a stream's version (the version of its last event; 0 for no events).
public enum ExpectedVersion: Hashable, Sendable {
    /// Append whatever the stream holds.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have exactly this version.
    case exactly(Int)

    func admits(_ actual: Int) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == 0
        case .exactly(let expected): actual == expected
        }
    }
}
