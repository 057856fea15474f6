import ArgumentParser
import Foundation
import JWTKit
import Projections

/// `parley token`: signs a user token with the HS256 secret (the development one by default),
/// for trying the API and the stream by hand.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a user token (HS256) for development and tests.")

    @Option(help: "The user id (the token's `sub`).") var sub: String
    @Option(help: "buyer, vendor or staff.") var role: String
    @Option(help: "Seconds until the token expires.") var expiresIn = 3_600
    @Option(help: "The HS256 secret. Default: $PARLEY_JWT_SECRET, else the development secret in --data-folder.")
    var jwtSecret: String?
    @Option(help: "The data folder holding the development keys.") var dataFolder = ".parley"

    func run() async throws {
        guard let role = UserRole(rawValue: self.role) else { throw ValidationError("--role must be buyer, vendor or staff") }
        let secret = try self.jwtSecret ?? ProcessInfo.processInfo.environment["PARLEY_JWT_SECRET"]
            ?? DevelopmentKeys.load(in: URL(fileURLWithPath: self.dataFolder)).jwtSecret
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        print(try await keys.sign(UserClaims(user: self.sub, role: role, lifetime: .seconds(self.expiresIn))))
    }
}
