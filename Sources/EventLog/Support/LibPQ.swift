import CLibPQ

/// The one place that touches libpq: a blocking connection for what PostgresNIO does not do well —
/// multi-statement scripts (migrations) and binary `COPY … TO STDOUT` (bulk scans).
/// Call it from a thread that may block (e.g. `NIOThreadPool`), never from the cooperative pool.
final class PQConnection {
    private let handle: OpaquePointer

    /// Connects with a libpq connection string or `postgres://` URL.
    init(_ conninfo: String) throws(EventLogError) {
        guard let handle = PQconnectdb(conninfo) else {
            throw EventLogError(.database, "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw EventLogError(.database, "cannot connect to PostgreSQL: \(message)")
        }
        self.handle = handle
    }

    deinit { PQfinish(self.handle) }

    /// Runs one or more statements (simple-query protocol); returns the first column of the last
    /// result's rows as text, for scripts that end in a query.
    @discardableResult
    func execute(_ sql: String) throws(EventLogError) -> [String?] {
        guard PQsendQuery(self.handle, sql) == 1 else { throw self.error("cannot send query") }
        var rows: [String?] = []
        var failure: EventLogError?
        while let result = PQgetResult(self.handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                continue
            case PGRES_TUPLES_OK:
                rows = (0..<PQntuples(result)).map { row in
                    PQgetisnull(result, row, 0) == 1 ? nil : String(cString: PQgetvalue(result, row, 0))
                }
            default:
                failure = failure ?? EventLogError(.database, String(cString: PQresultErrorMessage(result)))
            }
        }
        if let failure { throw failure }
        return rows
    }

    /// Starts `COPY … TO STDOUT`; read its rows with ``readCopyRow(_:)`` until it returns nil.
    func startCopyOut(_ sql: String) throws(EventLogError) {
        guard let start = PQexec(self.handle, sql) else { throw self.error("cannot start COPY") }
        defer { PQclear(start) }
        guard PQresultStatus(start) == PGRES_COPY_OUT else {
            throw EventLogError(.database, "COPY did not start: \(String(cString: PQresultErrorMessage(start)))")
        }
    }

    /// Hands the next message of a running copy (one row; the first also holds the binary header)
    /// to `body`, or returns nil when the copy has ended.
    func readCopyRow<R>(_ body: (UnsafeRawBufferPointer) throws(EventLogError) -> R) throws(EventLogError) -> R? {
        var buffer: UnsafeMutablePointer<CChar>?
        let length = PQgetCopyData(self.handle, &buffer, 0)
        if length == -1 {
            try self.finishCommand()
            return nil
        }
        guard length >= 0, let chunk = buffer else { throw self.error("COPY failed") }
        defer { PQfreemem(chunk) }
        return try body(UnsafeRawBufferPointer(start: chunk, count: Int(length)))
    }

    private func finishCommand() throws(EventLogError) {
        var failure: EventLogError?
        while let result = PQgetResult(self.handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK {
                failure = failure ?? EventLogError(.database, String(cString: PQresultErrorMessage(result)))
            }
            PQclear(result)
        }
        if let failure { throw failure }
    }

    private func error(_ what: String) -> EventLogError {
        EventLogError(.database, "\(what): \(String(cString: PQerrorMessage(self.handle)))")
    }
}
