import Foundation
import ParleyTestSupport

/// A small marketplace on a running server: a vendor with a listing, a buyer who asked about it,
/// and the tokens of everyone the authorisation tests need.
struct Marketplace: Sendable {
    let http: HTTP
    let buyer: String
    let vendor: String
    /// The vendor's user id.
    let vendorId: String
    let otherBuyer: String
    let otherVendor: String
    let staff: String
    let conversationId: String
    let platform = Caller.platform(ServerProcess.platformKey)

    /// Sets the marketplace up through the API on `server`; ids are unique per call.
    static func open(on server: ServerProcess) async throws -> Marketplace {
        let http = server.http
        let tag = UUID().uuidString.prefix(8)
        let platform = Caller.platform(ServerProcess.platformKey)
        let listing = try await http.call(
            "PUT", "/v1/platform/listings/L-\(tag)", as: platform, body: #"{"vendorId":"vendor-\#(tag)","title":"Blue bike","priceCents":12000}"#)
        guard listing.status == 200 else { throw TestSetupError("listing: \(listing)") }
        for (user, name, role) in [("buyer-\(tag)", "Bea Buyer", "buyer"), ("vendor-\(tag)", "Vic Vendor", "vendor")] {
            let profile = try await http.call("PUT", "/v1/platform/users/\(user)", as: platform, body: #"{"displayName":"\#(name)","role":"\#(role)"}"#)
            guard profile.status == 200 else { throw TestSetupError("profile: \(profile)") }
        }
        let buyer = try await Tokens.user("buyer-\(tag)", "buyer")
        let started = try await http.call(
            "POST", "/v1/conversations", as: .bearer(buyer), body: #"{"vendorId":"vendor-\#(tag)","subject":{"kind":"listing","listingId":"L-\#(tag)"}}"#)
        guard started.status == 201, let id = started["conversationId"] as? String else { throw TestSetupError("start: \(started)") }
        return Marketplace(
            http: http, buyer: buyer, vendor: try await Tokens.user("vendor-\(tag)", "vendor"), vendorId: "vendor-\(tag)",
            otherBuyer: try await Tokens.user("buyer-other-\(tag)", "buyer"), otherVendor: try await Tokens.user("vendor-other-\(tag)", "vendor"),
            staff: try await Tokens.user("staff-\(tag)", "staff"), conversationId: id)
    }

    /// The same marketplace, reached through another server instance.
    func through(_ server: ServerProcess) -> Marketplace {
        Marketplace(
            http: server.http, buyer: self.buyer, vendor: self.vendor, vendorId: self.vendorId, otherBuyer: self.otherBuyer,
            otherVendor: self.otherVendor, staff: self.staff, conversationId: self.conversationId)
    }

    /// Posts a message as `sender` over HTTP; returns the ack.
    @discardableResult
    func post(_ text: String, as sender: String, clientId: String = UUID().uuidString) async throws -> Answer {
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["clientMessageId": clientId, "text": text]), as: UTF8.self)
        return try await self.http.call("POST", "/v1/conversations/\(self.conversationId)/messages", as: .bearer(sender), body: body)
    }
}
