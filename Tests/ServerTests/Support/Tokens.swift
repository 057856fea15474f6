import Foundation
import JWTKit

/// Tokens for tests: good ones signed with the server's secret, and the bad kinds.
enum Tokens {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var role: String
        var exp: ExpirationClaim
        var nbf: NotBeforeClaim?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func claims(_ user: String, _ role: String, expiresIn seconds: Double = 3_600) -> Claims {
        Claims(sub: SubjectClaim(value: user), role: role, exp: ExpirationClaim(value: Date().addingTimeInterval(seconds)))
    }

    /// A valid HS256 token.
    static func user(_ user: String, _ role: String, expiresIn seconds: Double = 3_600) async throws -> String {
        try await JWTKeyCollection().add(hmac: HMACKey(from: ServerProcess.secret), digestAlgorithm: .sha256)
            .sign(self.claims(user, role, expiresIn: seconds))
    }

    /// A valid HS256 token whose `nbf` (not before) is `seconds` from now.
    static func notBefore(_ user: String, _ role: String, in seconds: Double) async throws -> String {
        var claims = self.claims(user, role)
        claims.nbf = NotBeforeClaim(value: Date().addingTimeInterval(seconds))
        return try await JWTKeyCollection().add(hmac: HMACKey(from: ServerProcess.secret), digestAlgorithm: .sha256).sign(claims)
    }

    /// Signed with another secret.
    static func forged(_ user: String, _ role: String) async throws -> String {
        try await JWTKeyCollection().add(hmac: HMACKey(from: "another-secret-of-at-least-thirty-two-bytes"), digestAlgorithm: .sha256)
            .sign(self.claims(user, role))
    }

    /// Expired an hour ago.
    static func expired(_ user: String, _ role: String) async throws -> String {
        try await JWTKeyCollection().add(hmac: HMACKey(from: ServerProcess.secret), digestAlgorithm: .sha256)
            .sign(self.claims(user, role, expiresIn: -3_600))
    }

    /// Signed as HS512 (with the server's secret, lengthened to the 64 bytes HS512 needs): an
    /// algorithm the server has no key for.
    static func wrongAlgorithm(_ user: String, _ role: String) async throws -> String {
        try await JWTKeyCollection().add(hmac: HMACKey(from: ServerProcess.secret + ServerProcess.secret), digestAlgorithm: .sha512)
            .sign(self.claims(user, role))
    }

    /// `alg: none`, no signature.
    static func unsigned(_ user: String, _ role: String) -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        }
        let exp = Int(Date().timeIntervalSince1970) + 3_600
        return encode(#"{"alg":"none","typ":"JWT"}"#) + "." + encode(#"{"sub":"\#(user)","role":"\#(role)","exp":\#(exp)}"#) + "."
    }
}
