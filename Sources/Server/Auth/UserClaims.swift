import Foundation
import JWTKit
import Projections

/// The claims of a user token the marketplace issues: who (`sub`), as what (`role`), until when
/// (`exp`) and, optionally, from when (`nbf`).
struct UserClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var role: String
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?

    /// How far the marketplace's clock may run ahead of ours: a token whose `nbf` is at most this
    /// far in the future is accepted (RFC 7519 §4.1.5 allows "some small leeway").
    static let clockSkew: TimeInterval = 60

    /// Thrown by ``verify(using:)`` for a token whose `nbf` lies in the future.
    struct NotYetValid: Error {}

    /// The claims of a token for `user` in `role`, valid for `lifetime`.
    init(user: String, role: UserRole, lifetime: Duration, now: Date = Date()) {
        self.sub = SubjectClaim(value: user)
        self.role = role.rawValue
        self.exp = ExpirationClaim(value: now.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try self.exp.verifyNotExpired()
        if let nbf = self.nbf, nbf.value > Date().addingTimeInterval(Self.clockSkew) { throw NotYetValid() }
    }
}
