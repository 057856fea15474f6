import Crypto
import Foundation
import JWTKit
import Projections

/// Checks the credentials a request carries: a user token (JWT) or the platform API key.
///
/// A token's header must name an algorithm a key is configured for; the signature is then checked
/// with that key alone, so a token signed with another algorithm (or `none`) is refused before any
/// signature check. Platform keys are compared by SHA-256 digest in constant time.
struct TokenVerifier: Sendable {
    /// Keys by the algorithm name a token's header carries (`HS256`, `ES256`, `EdDSA`).
    private let keys: [String: JWTKeyCollection]
    private let platformKeyDigests: [SHA256Digest]

    /// The keys tokens are checked against.
    struct Keys: Sendable {
        /// The shared secret of HS256 tokens.
        var hmacSecret: String?
        /// A PEM public key of ES256 or EdDSA (Ed25519) tokens.
        var publicKeyPEM: String?
        /// The platform API keys.
        var platformKeys: [String]
    }

    /// The algorithms tokens may be signed with, as their header names them.
    var algorithms: [String] { self.keys.keys.sorted() }

    init(_ configured: Keys) async throws(ConfigurationError) {
        var keys: [String: JWTKeyCollection] = [:]
        if let secret = configured.hmacSecret {
            guard secret.utf8.count >= 32 else { throw ConfigurationError("the HS256 secret must be at least 32 bytes") }
            keys["HS256"] = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        }
        if let pem = configured.publicKeyPEM {
            if let key = try? ES256PublicKey(pem: pem) {
                keys["ES256"] = await JWTKeyCollection().add(ecdsa: key)
            } else if let key = try? EdDSA.PublicKey(pem: pem) {
                keys["EdDSA"] = await JWTKeyCollection().add(eddsa: key)
            } else {
                throw ConfigurationError("the public key is neither an ES256 (P-256) nor an Ed25519 key in PEM")
            }
        }
        guard !keys.isEmpty else { throw ConfigurationError("no token key: set an HS256 secret or a public key") }
        self.keys = keys
        self.platformKeyDigests = configured.platformKeys.map { SHA256.hash(data: Data($0.utf8)) }
    }

    /// The user a bearer token names, and when the token expires.
    /// - Throws: ``APIError`` 401 when the token is malformed, uses an algorithm with no key, has a
    ///   wrong signature, has expired or is not valid yet (`nbf`), or names no valid role.
    func user(bearer token: String) async throws(APIError) -> (principal: Principal, expires: Date) {
        let algorithm = try Self.algorithm(of: token)
        guard let keys = self.keys[algorithm] else {
            throw .unauthorized("token_algorithm", "tokens signed with \(algorithm) are not accepted; use \(self.algorithms.joined(separator: " or "))")
        }
        let claims: UserClaims
        do {
            claims = try await keys.verify(token, as: UserClaims.self)
        } catch is UserClaims.NotYetValid {
            throw .unauthorized("token_not_yet_valid", "the token is not valid before its nbf time; check the issuer's clock")
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw .unauthorized("token_expired", "the token has expired; get a new one from the marketplace")
        } catch {
            throw .unauthorized("invalid_token", "the token's signature or claims are not valid")
        }
        guard let role = UserRole(rawValue: claims.role) else {
            throw .unauthorized("invalid_token", "the token's role must be buyer, vendor or staff; got \"\(claims.role)\"")
        }
        guard !claims.sub.value.isEmpty, claims.sub.value.utf8.count <= 200 else {
            throw .unauthorized("invalid_token", "the token's subject must be a user id of 1 to 200 bytes")
        }
        return (.user(id: claims.sub.value, role: role), claims.exp.value)
    }

    /// Whether `key` is a platform API key.
    func isPlatformKey(_ key: String) -> Bool {
        let digest = SHA256.hash(data: Data(key.utf8))
        // Every digest is compared, so the time taken tells nothing about which matched.
        return self.platformKeyDigests.reduce(false) { matched, candidate in
            zip(candidate, digest).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 || matched
        }
    }

    /// The `alg` of a token's header.
    private static func algorithm(of token: String) throws(APIError) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Data(base64URL: parts[0]),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
            let algorithm = object["alg"] as? String
        else { throw .unauthorized("invalid_token", "the token is not a JWT (header.payload.signature, base64url)") }
        return algorithm
    }
}

extension Data {
    /// Decodes unpadded base64url text.
    init?(base64URL text: Substring) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    /// The data as unpadded base64url text (what ``init(base64URL:)`` reads).
    var base64URLString: String {
        self.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A setting the server cannot start with.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
