import Crypto
import Foundation
import Projections

/// Ids the server derives from what identifies a thing, so a retry derives the same id.
enum Identifiers {
    /// The conversation of a buyer and a vendor about a subject: the same three always give the same id.
    static func conversation(buyer: String, vendor: String, subject: ConversationSubject) -> String {
        "c_" + self.digest(["conversation", buyer, vendor, subject.kind.rawValue, subject.listingId ?? subject.orderId ?? ""])
    }

    /// The message a sender sent with a client message id.
    static func message(sender: String, clientMessageId: String) -> String {
        "m_" + self.digest(["message", sender, clientMessageId])
    }

    /// The idempotency key of a message: a retry with the same client message id is the same append.
    static func messageKey(sender: String, clientMessageId: String) -> String {
        "message:\(sender):\(clientMessageId)"
    }

    /// 20 hex digits of the SHA-256 of the parts, each length-prefixed so no two lists collide.
    private static func digest(_ parts: [String]) -> String {
        var data = Data()
        for part in parts {
            data.append(contentsOf: String(part.utf8.count).utf8)
            data.append(0x3A)
            data.append(contentsOf: part.utf8)
        }
        return SHA256.hash(data: data).prefix(10).map { String(format: "%02x", $0) }.joined()
    }
}
