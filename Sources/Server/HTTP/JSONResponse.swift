import Foundation
import Hummingbird
import NIOCore

extension Response {
    /// A response whose body is JSON already encoded.
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A response whose body is `value` encoded as JSON (keys as declared, dates as RFC 3339).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let bytes: [UInt8] = Array(try JSONCoding.encoder.encode(value))
        return Response.json(bytes, status: status)
    }
}

/// The JSON encoder and decoder the API uses.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder = JSONDecoder()
}
