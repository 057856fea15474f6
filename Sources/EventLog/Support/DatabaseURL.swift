public import PostgresNIO
import Foundation

/// Where the database is: a `postgres://user:password@host:port/database` URL.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// Host name or address (or a unix socket directory when it starts with `/`).
    public var host: String
    /// TCP port.
    public var port: Int
    /// User name.
    public var username: String
    /// Password, if any.
    public var password: String?
    /// Database name.
    public var database: String

    /// Parses a URL.
    /// - Throws: ``EventLogError`` `.unavailable` when the URL is not a postgres URL.
    public init(_ text: String) throws(EventLogError) {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""),
            let user = url.user, !user.isEmpty
        else {
            throw EventLogError(.unavailable, "database URL \"\(text)\" is not of the form postgres://user@host:port/database")
        }
        self.host = url.host?.isEmpty == false ? url.host! : "127.0.0.1"
        self.port = url.port ?? 5432
        self.username = user
        self.password = url.password
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        self.database = path.isEmpty ? user : path
    }

    /// The same server, another database.
    public func withDatabase(_ database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL, without the password.
    public var description: String { "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database)" }

    /// A libpq connection string.
    var conninfo: String {
        func quote(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var parts = ["host=\(quote(self.host))", "port=\(self.port)", "user=\(quote(self.username))", "dbname=\(quote(self.database))"]
        if let password { parts.append("password=\(quote(password))") }
        return parts.joined(separator: " ")
    }

    /// A PostgresNIO client configuration for this URL (no TLS: the database is on loopback or a private network).
    public func clientConfiguration() -> PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: self.host, port: self.port, username: self.username, password: self.password,
            database: self.database, tls: .disable)
    }
}
