import Foundation

/// The opaque `cursor` of a keyset-paged listing: the fields of the last row's position,
/// newline-separated, in base64url. Each listing's cursor type says which fields.
enum PageCursor {
    /// The cursor of a position given as its fields.
    static func text(_ fields: [String]) -> String {
        Data(fields.joined(separator: "\n").utf8).base64URLString
    }

    /// The `count` fields of a cursor this server issued (the last may hold anything).
    /// - Throws: ``APIError`` 400 when the text is not such a cursor.
    static func fields(_ text: String, count: Int) throws(APIError) -> [String] {
        guard let data = Data(base64URL: Substring(text)), let decoded = String(data: data, encoding: .utf8) else { throw Self.invalid }
        let parts = decoded.split(separator: "\n", maxSplits: count - 1, omittingEmptySubsequences: false)
        guard parts.count == count else { throw Self.invalid }
        return parts.map(String.init)
    }

    /// The error of a cursor that is not one.
    static let invalid = APIError.invalid("`cursor` is not a cursor from a previous page")
}
