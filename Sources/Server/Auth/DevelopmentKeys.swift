import Crypto
import Foundation

/// The keys a server started without any configures for itself (development only): a random
/// HS256 secret and platform key, kept in the data folder so tokens survive restarts and
/// `parley token` can sign with the same secret.
struct DevelopmentKeys: Codable, Equatable {
    var jwtSecret: String
    var platformKey: String

    /// The keys in `folder`, created on first use (readable by the owner only).
    static func load(in folder: URL) throws -> DevelopmentKeys {
        let file = folder.appendingPathComponent("dev-keys.json")
        if let data = try? Data(contentsOf: file), let keys = try? JSONDecoder().decode(DevelopmentKeys.self, from: data) {
            return keys
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keys = DevelopmentKeys(jwtSecret: Self.random(), platformKey: "dev-" + Self.random())
        try JSONEncoder().encode(keys).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return keys
    }

    private static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
    }
}
