import EventLog
import Foundation
import Hummingbird
import Projections

/// Every error the API answers with: an HTTP status, a stable machine-readable code, and a message
/// that says what to fix. The body is always `{"error": {"code": ..., "message": ...}}`; WebSocket
/// error frames carry the same code and message.
struct APIError: Error, HTTPResponseError, Equatable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    /// A JSON object that says more, written as the error's `details` (e.g. what moderation found).
    let details: [UInt8]?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [UInt8]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    static func unauthorized(_ code: String, _ message: String) -> APIError { APIError(.unauthorized, code, message) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    static func notFound(_ code: String, _ message: String) -> APIError { APIError(.notFound, code, message) }
    static func invalid(_ message: String) -> APIError { APIError(.badRequest, "invalid_request", message) }
    static func conflict(_ code: String, _ message: String) -> APIError { APIError(.conflict, code, message) }
    static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, "unavailable", message) }
    static func rateLimited(_ what: String) -> APIError { APIError(.tooManyRequests, "rate_limited", "too many \(what); slow down and retry") }

    /// The error's JSON body.
    var json: [UInt8] {
        var writer = JSONWriter(capacity: 64 + self.message.utf8.count)
        writer.beginObject()
        writer.key("error")
        self.write(into: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// Writes `{"code": ..., "message": ...}`, and `details` when there are any.
    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        self.writeMembers(into: &writer)
        writer.endObject()
    }

    /// Writes the members `code`, `message` and, when there are any, `details`.
    func writeMembers(into writer: inout JSONWriter) {
        writer.key("code")
        writer.string(self.code)
        writer.key("message")
        writer.string(self.message)
        if let details = self.details {
            writer.key("details")
            writer.raw(details)
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response.json(self.json, status: self.status)
    }
}

extension APIError {
    /// The API's answer to an error of the event log.
    init(_ error: EventLogError) {
        switch error.code {
        case .wrongExpectedVersion: self.init(.conflict, "version_conflict", error.message)
        case .payloadTooLarge: self.init(.contentTooLarge, "payload_too_large", error.message)
        case .idempotencyKeyReused, .duplicateIdempotencyKey: self.init(.conflict, "idempotency_key_reused", error.message)
        case .invalidStreamName, .invalidEvent, .emptyAppend: self.init(.badRequest, "invalid_request", error.message)
        case .unavailable, .database: self.init(.serviceUnavailable, "unavailable", "the event log is not available; retry shortly")
        default: self.init(.internalServerError, "internal", "the server failed: \(error.code)")
        }
    }
}
