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
    /// included).
    static func decode<Body: Decodable>(_ type: Body.Type, from data: Data) throws(APIError) -> Body {
        try Self.validate(data)
        return try Self.decode(validated: type, from: data)
    }

    /// Refuses `data` with `malformed_json` unless it is strictly JSON (see ``StrictJSON``).
    static func validate(_ data: Data) throws(APIError) {
        do {
            try StrictJSON.validate(data)
        } catch {
            throw APIError(.badRequest, "malformed_json", "the body is not valid JSON: \(error)")
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
