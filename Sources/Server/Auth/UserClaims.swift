import Foundation
import JWTKit
import Projections

/// The claims of a user token the marketplace issues: who (`sub`), as what (`role`) and until when (`exp`).
struct UserClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var role: String
    var exp: ExpirationClaim

    /// The claims of a token for `user` in `role`, valid for `lifetime`.
    init(user: String, role: UserRole, lifetime: Duration, now: Date = Date()) {
        self.sub = SubjectClaim(value: user)
        self.role = role.rawValue
        self.exp = ExpirationClaim(value: now.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try self.exp.verifyNotExpired()
    }
}
