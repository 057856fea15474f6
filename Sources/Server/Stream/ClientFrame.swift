import HTTPTypes
import Foundation
import Projections

/// A frame a client sends on the stream (JSON text; see docs/PROTOCOL.md and schemas/protocol/).
enum ClientFrame: Equatable {
    /// The first frame: the offset the client has (nil for none) and the epoch it came from.
    case hello(offset: Int64?, epoch: String?)
    /// Post a message.
    case send(ref: String?, conversationId: String, draft: Commands.MessageDraft)
    /// Move the client's delivery or read watermark.
    case watermark(ref: String?, Commands.Watermark, conversationId: String, upToMessageId: String)
    /// The user is typing (ephemeral).
    case typing(conversationId: String)
    /// Keep-alive; answered with `pong`.
    case ping(ref: String?)

    private struct Envelope: Decodable {
        var type: String
        var id: String?
    }

    private struct Hello: Decodable {
        var offset: Int64?
        var epoch: String?
    }

    private struct Send: Decodable {
        var conversationId: String
        var clientMessageId: String
        var text: String
        var attachment: Attachment?
        var templateId: String?
    }

    private struct Watermark: Decodable {
        var conversationId: String
        var upToMessageId: String
    }

    private struct Typing: Decodable {
        var conversationId: String
    }

    /// A frame refused: the error, and the frame's `id` when it could be read, so the client knows
    /// which of its frames failed.
    struct Refusal: Error {
        var ref: String?
        var error: APIError
    }

    /// The frame a text message holds.
    /// - Throws: ``Refusal`` with ``APIError`` `malformed_json`, `invalid_request` (a field
    ///   missing or mistyped) or `unknown_frame_type`.
    init(json text: String) throws(Refusal) {
        let data = Data(text.utf8)
        let envelope: Envelope
        let nul: JSONCoding.NulCheck
        do {
            nul = try JSONCoding.validate(data)
            envelope = try JSONCoding.decode(validated: Envelope.self, from: data)
        } catch {
            throw Refusal(ref: nil, error: error)
        }
        do {
            try nul.refuse()
            self = try Self.body(of: envelope, in: data)
        } catch {
            throw Refusal(ref: envelope.id, error: error)
        }
    }

    private static func body(of envelope: Envelope, in data: Data) throws(APIError) -> ClientFrame {
        switch envelope.type {
        case "hello":
            let hello = try JSONCoding.decode(validated: Hello.self, from: data)
            return .hello(offset: hello.offset, epoch: hello.epoch)
        case "send":
            let send = try JSONCoding.decode(validated: Send.self, from: data)
            return .send(
                ref: envelope.id, conversationId: send.conversationId,
                draft: Commands.MessageDraft(
                    clientMessageId: send.clientMessageId, text: send.text, attachment: send.attachment, templateId: send.templateId,
                    automated: nil))
        case "delivered", "read":
            let mark = try JSONCoding.decode(validated: Watermark.self, from: data)
            return .watermark(
                ref: envelope.id, envelope.type == "read" ? .read : .delivered, conversationId: mark.conversationId,
                upToMessageId: mark.upToMessageId)
        case "typing":
            return .typing(conversationId: try JSONCoding.decode(validated: Typing.self, from: data).conversationId)
        case "ping":
            return .ping(ref: envelope.id)
        default:
            throw APIError(.badRequest, "unknown_frame_type", "unknown frame type \"\(envelope.type)\"; send hello, send, delivered, read, typing or ping")
        }
    }
}
