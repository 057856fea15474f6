import Foundation
import Hummingbird
import NIOCore
import Projections

extension Request {
    /// The body decoded as `type`, at most `limit` bytes.
    /// - Throws: ``APIError`` 413 `payload_too_large`, 400 `malformed_json` (not JSON) or
    ///   400 `invalid_request` (a field missing or of the wrong type, named by its path).
    mutating func decode<Body: Decodable>(_ type: Body.Type, limit: Int) async throws(APIError) -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await self.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "payload_too_large", "the request body is over \(limit) bytes")
        }
        return try JSONCoding.decode(type, from: Data(buffer.readableBytesView))
    }
}

extension JSONCoding {
    /// `data` decoded as `type`, with an ``APIError`` that names what is wrong: `malformed_json`
    /// when it is not strictly JSON (``StrictJSON``: no trailing comma, byte-order mark or duplicate
    /// key), `invalid_request` when it is JSON of the wrong shape (a number that does not fit
    /// included) or a string holds U+0000.
    static func decode<Body: Decodable>(_ type: Body.Type, from data: Data) throws(APIError) -> Body {
        try Self.validate(data).refuse()
        return try Self.decode(validated: type, from: data)
    }

    /// Refuses `data` with `malformed_json` unless it is strictly JSON (see ``StrictJSON``).
    /// - Returns: what to refuse once the caller knows which request this is: a string holding U+0000.
    static func validate(_ data: Data) throws(APIError) -> NulCheck {
        do {
            return NulCheck(path: try StrictJSON.validate(data))
        } catch {
            throw APIError(.badRequest, "malformed_json", "the body is not valid JSON: \(error)")
        }
    }

    /// Where a valid JSON payload holds U+0000 (the NUL character), which no text stored in
    /// PostgreSQL can hold: refused with `invalid_request`, after the caller read what it needs
    /// to answer (a stream frame's `id`).
    struct NulCheck {
        /// The path of the first string holding it; nil when none does.
        let path: String?

        /// Throws ``APIError`` 400 `invalid_request` when a string holds U+0000.
        func refuse() throws(APIError) {
            if let path { throw .invalid("`\(path)` holds U+0000 (the NUL character), which Parley does not store") }
        }
    }

    /// `data`, already validated, decoded as `type`; `invalid_request` names what does not fit.
    static func decode<Body: Decodable>(validated type: Body.Type, from data: Data) throws(APIError) -> Body {
        do {
            return try Self.decoder.decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalid("\(Self.path(context.codingPath + [key])) is required")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw .invalid("\(Self.path(context.codingPath)) must be \(Self.describe(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw .invalid("\(Self.path(context.codingPath)) must be \(Self.describe(expected)), not null")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw .invalid("\(Self.path(context.codingPath)): \(context.debugDescription)")
        } catch let error as APIError {
            throw error
        } catch {
            throw .invalid("the body does not have the documented shape")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the body" : "`" + keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "`"
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        default: "an object of the documented shape"
        }
    }
}
