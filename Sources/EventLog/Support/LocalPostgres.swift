public import Foundation
import Crypto

/// A PostgreSQL cluster in a data folder of its own, for running Parley with no configuration:
/// created with `initdb` on first use and started with `pg_ctl` (as the user `parley` when run as
/// root, since PostgreSQL refuses root). Listens on loopback only, with trust authentication.
/// `scripts/db` manages the same folder and port, and places it by the same rule: when run as root
/// and `parley` cannot reach the folder (a checkout under `/root`, or in a 0700 `mktemp -d`
/// folder), the data lives in `/var/lib/parley/<hash of the requested path>/pg` and the requested
/// folder becomes a symlink to it.
public struct LocalPostgres: Sendable {
    /// The data folder (default `.parley/pg` under the working directory).
    public var folder: URL
    /// The TCP port on 127.0.0.1 (default 54320).
    public var port: Int

    /// A local cluster in `folder` on `port`.
    public init(folder: URL = URL(fileURLWithPath: ".parley/pg"), port: Int = 54320) {
        self.folder = folder.standardizedFileURL
        self.port = port
    }

    /// The URL of the cluster's `postgres` database.
    public var url: DatabaseURL {
        // A literal of the right form always parses.
        try! DatabaseURL("postgres://parley@127.0.0.1:\(self.port)/postgres")
    }

    /// Where Parley's database is, found the same way by every Parley command: `explicit` (a
    /// `--database-url`), else the environment variable `PARLEY_DATABASE_URL`, else this local
    /// cluster, created and started if needed (`local` is then true).
    /// - Throws: ``EventLogError`` `.unavailable` for a malformed URL or a local start that fails.
    public func resolve(explicit: String?) throws(EventLogError) -> (url: DatabaseURL, local: Bool) {
        if let text = explicit ?? ProcessInfo.processInfo.environment["PARLEY_DATABASE_URL"] {
            return (try DatabaseURL(text), false)
        }
        return (try self.start(), true)
    }

    /// Creates the cluster if the folder holds none and starts it unless it runs; returns its URL.
    /// - Throws: ``EventLogError`` `.unavailable` with PostgreSQL's own message when a step fails.
    public func start() throws(EventLogError) -> DatabaseURL {
        let binaries = try Self.binaries()
        let asRoot = getuid() == 0
        if asRoot, try Self.run("/usr/bin/id", ["parley"], asRoot: false).status != 0 {
            try Self.check(Self.run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "parley"], asRoot: false), "creating the user parley")
        }
        let data = try self.dataFolder(asRoot: asRoot)
        try? FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        if asRoot {
            try Self.check(Self.run("/bin/chown", ["parley", data.path], asRoot: false), "handing \(data.path) to parley")
            try Self.check(Self.run("/bin/chmod", ["700", data.path], asRoot: false), "protecting \(data.path)")
        }
        if !FileManager.default.fileExists(atPath: data.appendingPathComponent("PG_VERSION").path) {
            try Self.check(
                Self.run(binaries + "/initdb", ["--pgdata=\(data.path)", "--username=parley", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], asRoot: asRoot),
                "initdb in \(data.path)")
            let settings = """

                # parley: loopback only, durable commits
                listen_addresses = '127.0.0.1'
                port = \(self.port)
                unix_socket_directories = '\(data.path)'
                max_connections = 300
                shared_buffers = 512MB
                synchronous_commit = on

                """
            let conf = data.appendingPathComponent("postgresql.conf")
            guard let handle = try? FileHandle(forWritingTo: conf) else {
                throw EventLogError(.unavailable, "cannot write \(conf.path)")
            }
            handle.seekToEndOfFile()
            handle.write(Data(settings.utf8))
            try? handle.close()
        }
        if try Self.run(binaries + "/pg_ctl", ["--pgdata=\(data.path)", "status"], asRoot: asRoot).status != 0 {
            try Self.check(
                Self.run(
                    binaries + "/pg_ctl",
                    ["--pgdata=\(data.path)", "--log=\(data.path)/server.log", "--wait", "--timeout=60",
                     "-o", "-p \(self.port) -k \(data.path)", "start"], asRoot: asRoot),
                "starting PostgreSQL (see \(data.path)/server.log)")
        }
        return self.url
    }

    /// Stops the cluster if it runs: by default as `pg_ctl stop -m fast` (sessions are ended,
    /// then a checkpoint); `immediately` as `-m immediate`, which is how a crash looks to clients
    /// (backends end at once, recovery replays the WAL at the next start).
    public func stop(immediately: Bool = false) throws(EventLogError) {
        let binaries = try Self.binaries()
        let asRoot = getuid() == 0
        let data = self.folder.resolvingSymlinksInPath()
        guard try Self.run(binaries + "/pg_ctl", ["--pgdata=\(data.path)", "status"], asRoot: asRoot).status == 0 else { return }
        try Self.check(
            Self.run(binaries + "/pg_ctl", ["--pgdata=\(data.path)", "--mode=\(immediately ? "immediate" : "fast")", "--wait", "stop"], asRoot: asRoot),
            "stopping PostgreSQL in \(data.path)")
    }

    /// Where the cluster's data really is, made ready for use: the requested folder itself, or
    /// the target of the symlink an earlier start left there, or (as root, when `parley` cannot
    /// reach the requested folder's parent) `/var/lib/parley/<hash>/pg`, linked from the
    /// requested path; `<hash>/requested` records that path, as `scripts/db` does.
    private func dataFolder(asRoot: Bool) throws(EventLogError) -> URL {
        let manager = FileManager.default
        if (try? manager.destinationOfSymbolicLink(atPath: self.folder.path)) != nil {
            return self.folder.resolvingSymlinksInPath()
        }
        let parent = self.folder.deletingLastPathComponent()
        try? manager.createDirectory(at: parent, withIntermediateDirectories: true)
        guard asRoot, try Self.run("/usr/bin/test", ["-x", parent.path], asRoot: true).status != 0 else {
            return self.folder
        }
        if let entries = try? manager.contentsOfDirectory(atPath: self.folder.path), !entries.isEmpty {
            throw EventLogError(.unavailable, "\(self.folder.path) is not empty, and the user parley cannot reach it; move it away or pass a database URL")
        }
        let digest = SHA256.hash(data: Data(self.folder.path.utf8)).map { String(format: "%02x", $0) }.joined()
        let home = URL(fileURLWithPath: "/var/lib/parley").appendingPathComponent(String(digest.prefix(16)))
        let data = home.appendingPathComponent("pg")
        do {
            try manager.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: home.deletingLastPathComponent().path)
            try Data((self.folder.path + "\n").utf8).write(to: home.appendingPathComponent("requested"))
            if manager.fileExists(atPath: self.folder.path) { try manager.removeItem(at: self.folder) }
            try manager.createSymbolicLink(at: self.folder, withDestinationURL: data)
        } catch {
            throw EventLogError(.unavailable, "cannot place the cluster's data in \(home.path): \(error)")
        }
        return data
    }

    private static func binaries() throws(EventLogError) -> String {
        let candidates = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin", "/usr/local/bin", "/usr/bin"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }) else {
            throw EventLogError(.unavailable, "PostgreSQL's pg_ctl was not found; install postgresql-15 or pass a database URL")
        }
        return found
    }

    /// Runs a tool to its end and returns its exit status and output. posix_spawn and waitpid, not
    /// Foundation's Process: `pg_ctl start` leaves the server running with the descriptors it
    /// inherited, and Process on Linux waits for those to close before it reports the exit.
    private static func run(_ tool: String, _ arguments: [String], asRoot: Bool) throws(EventLogError) -> (status: Int32, output: String) {
        // From / (`env -C`; Glibc's posix_spawn_file_actions_addchdir_np is not imported): the
        // caller's working directory may be one `parley` cannot enter, and initdb and pg_ctl fail
        // when they cannot return to it.
        let argv = ["/usr/bin/env", "-C", "/"] + (asRoot ? ["/usr/sbin/runuser", "-u", "parley", "--", tool] : [tool]) + arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The server outlives this call: it must not hold our descriptors (a parent waiting on them would hang).
        let inherited = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for descriptor in inherited where descriptor > 2 { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else {
            throw EventLogError(.unavailable, "cannot run \(tool): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let exited = status & 0x7F == 0
        return (exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), text)
    }

    private static func check(_ result: (status: Int32, output: String), _ what: String) throws(EventLogError) {
        guard result.status == 0 else {
            throw EventLogError(.unavailable, "\(what) failed: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
