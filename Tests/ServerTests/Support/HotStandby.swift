import EventLog
import Foundation
import ParleyTestSupport

/// A primary PostgreSQL cluster and a hot standby streaming from it, each of its own in a
/// temporary folder on its own port: the primary as `LocalPostgres` starts it (its `pg_hba.conf`
/// from initdb already admits replication connections from loopback, and `wal_level` is `replica`
/// by default), the standby copied from it with `pg_basebackup -R` (which writes `standby.signal`
/// and the `primary_conninfo` to stream from) and started on the other port.
struct HotStandby {
    let primary: LocalPostgres
    let standby: LocalPostgres

    /// Runs `body` with a primary and its standby, both stopped and removed afterwards.
    /// A port pair another process took is tried again on other ports, this many times in all.
    static let attempts = 3

    static func with(_ body: (HotStandby) async throws -> Void) async throws {
        for attempt in 1...Self.attempts {
            // Short names: each cluster's socket is in its folder, and a socket's path has at most 107 bytes.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pr-\(UUID().uuidString.prefix(8))")
            let port = Int.random(in: 12_000...13_998)
            let clusters = HotStandby(
                primary: LocalPostgres(folder: folder.appendingPathComponent("primary/pg"), port: port),
                standby: LocalPostgres(folder: folder.appendingPathComponent("standby/pg"), port: port + 1))
            defer {
                try? clusters.standby.stop(immediately: true)
                try? clusters.primary.stop(immediately: true)
                try? FileManager.default.removeItem(at: folder)
            }
            do {
                try Self.start(clusters.primary)
                try clusters.copyPrimary()
                try Self.start(clusters.standby)
            } catch let error as PortTaken where attempt < Self.attempts {
                FileHandle.standardError.write(Data("hot standby: \(error.message); trying other ports\n".utf8))
                continue
            }
            try await body(clusters)
            return
        }
    }

    /// A cluster could not listen on its port: another process holds it.
    private struct PortTaken: Error {
        let message: String
    }

    /// Starts `cluster`; when it fails, the error carries the end of the server's log (the folder
    /// is gone by the time anyone could read it), as ``PortTaken`` when the port was taken.
    private static func start(_ cluster: LocalPostgres) throws {
        do {
            _ = try cluster.start()
        } catch {
            let log = (try? String(contentsOf: cluster.folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(8).joined(separator: "\n")
            if tail.contains("could not bind") || tail.contains("already in use") { throw PortTaken(message: "port \(cluster.port): \(tail)") }
            throw TestSetupError("\(error)\nserver.log ends:\n\(tail)")
        }
    }

    /// `pg_basebackup -R` of the primary into the standby's (empty) data folder, as the user
    /// `parley` when the tests run as root, as the clusters themselves run.
    private func copyPrimary() throws {
        let data = self.standby.folder
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { try Self.run("/bin/chown", ["parley", data.path], asRoot: false) }
        try Self.run("/bin/chmod", ["700", data.path], asRoot: asRoot)
        guard let binaries = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin", "/usr/bin"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/pg_basebackup") })
        else { throw TestSetupError("pg_basebackup was not found; install postgresql-15") }
        try Self.run(
            binaries + "/pg_basebackup",
            ["--host=127.0.0.1", "--port=\(self.primary.port)", "--username=parley", "--pgdata=\(data.path)", "--write-recovery-conf",
             "--wal-method=stream", "--checkpoint=fast", "--no-sync"],
            asRoot: asRoot)
    }

    /// Runs `tool` to its end from `/` (as `parley` with `asRoot`); throws with its output when it
    /// fails. The output goes to a file, not a pipe: a child another test starts at the same moment
    /// could inherit a pipe's write end and keep a read of it from ending.
    private static func run(_ tool: String, _ arguments: [String], asRoot: Bool) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString).out")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw TestSetupError("cannot create \(log.path)") }
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: asRoot ? "/usr/sbin/runuser" : tool)
        process.arguments = asRoot ? ["-u", "parley", "--", tool] + arguments : arguments
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestSetupError("\(tool) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
    }
}
