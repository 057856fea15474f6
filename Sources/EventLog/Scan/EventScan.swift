import Logging
import Synchronization

extension EventLog {
    /// The events after `position` through `last` (the head at the start when nil), in order, in
    /// batches, read with libpq's binary COPY: the fast path for replays, rebuilds and `verify`.
    public func scan(after position: Int64 = 0, through last: Int64? = nil, batchSize: Int = 2_000) -> EventScan {
        EventScan(log: self, after: position, through: last, batchSize: batchSize)
    }
}

/// A bulk read of the log. See ``EventLog/scan(after:through:batchSize:)``.
public struct EventScan: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]
    let log: EventLog
    let after: Int64
    let through: Int64?
    let batchSize: Int

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(scan: self) }

    /// Yields batches until the range is read.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let scan: EventScan
        var cursor: ScanCursor?
        var done = false

        init(scan: EventScan) { self.scan = scan }

        /// The next batch, or nil at the end.
        public mutating func next() async throws(EventLogError) -> [RecordedEvent]? {
            if self.done { return nil }
            if self.cursor == nil { self.cursor = try await ScanCursor.open(self.scan) }
            let cursor = self.cursor!
            let batchSize = self.scan.batchSize
            let batch = try await Blocking.run { cursor.next(batchSize) }.get()
            if batch.isEmpty {
                self.done = true
                return nil
            }
            return batch
        }
    }
}

/// The blocking side of a scan: a libpq connection in COPY mode. Used by one thread at a time.
final class ScanCursor: @unchecked Sendable {
    private let connection: PQConnection
    private let streams: [Int32: StreamName]
    private let types: [Int16: EventCatalog.TypeKey]
    private var decoder: BodyDecoder
    private var reader = CopyBinaryReader()
    private var fields: CopyBinaryReader.Fields = []
    private var ended = false

    private init(connection: PQConnection, streams: [Int32: StreamName], types: [Int16: EventCatalog.TypeKey], decoder: consuming BodyDecoder) {
        self.connection = connection
        self.streams = streams
        self.types = types
        self.decoder = decoder
    }

    static func open(_ scan: EventScan) async throws(EventLogError) -> ScanCursor {
        let log = scan.log
        try await EventLogError.wrapping("loading the catalog") { try await log.catalog.reload(logger: log.logger) }
        let types = log.catalog.knownTypes()
        let dictionaries = try await EventLogError.wrapping("loading dictionaries") {
            try await log.catalog.decoder(for: [], logger: log.logger).dictionaries
        }
        let last: Int64
        if let through = scan.through {
            last = through
        } else {
            last = try await log.head().position
        }
        let conninfo = log.url.conninfo
        let after = scan.after
        return try await Blocking.run { () -> Result<ScanCursor, EventLogError> in
            Result { () throws(EventLogError) -> ScanCursor in
                let connection = try PQConnection(conninfo)
                // Stream names first (a snapshot of the repeatable-read transaction covers both reads).
                try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                var streams: [Int32: StreamName] = [:]
                var reader = CopyBinaryReader()
                var fields: CopyBinaryReader.Fields = []
                try connection.startCopyOut("COPY (SELECT id, name FROM parley_streams) TO STDOUT (FORMAT binary)")
                while try connection.readCopyRow({ (message) throws(EventLogError) -> Bool in
                    guard try reader.fields(of: message, into: &fields), let id = fields[0], let name = fields[1] else { return false }
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: message[name]), as: UTF8.self)
                    streams[CopyBinaryReader.int32(message, at: id.lowerBound)] = StreamName(trusted: text)
                    return true
                }) != nil {}
                try connection.startCopyOut(
                    """
                    COPY (SELECT position, stream_id, recorded_at, stream_version, type_id, hash, body
                          FROM parley_events WHERE position > \(after) AND position <= \(last) ORDER BY position)
                    TO STDOUT (FORMAT binary)
                    """)
                return ScanCursor(
                    connection: connection, streams: streams, types: types, decoder: BodyDecoder(dictionaries: dictionaries))
            }
        }.get()
    }

    /// Reads up to `count` events; an empty result means the scan has ended.
    func next(_ count: Int) -> Result<[RecordedEvent], EventLogError> {
        Result { () throws(EventLogError) -> [RecordedEvent] in
            var batch: [RecordedEvent] = []
            batch.reserveCapacity(count)
            while !self.ended, batch.count < count {
                let event = try self.connection.readCopyRow { (message) throws(EventLogError) -> RecordedEvent? in
                    guard try self.reader.fields(of: message, into: &self.fields) else { return nil }
                    return try self.decode(message)
                }
                guard let event, let decoded = event else {
                    self.ended = true
                    break
                }
                batch.append(decoded)
            }
            if self.ended, batch.isEmpty { _ = try? self.connection.execute("COMMIT") }
            return batch
        }
    }

    /// PostgreSQL keeps timestamps as microseconds since 2000-01-01.
    private static let postgresEpochOffset: Int64 = 946_684_800_000_000

    private func decode(_ message: UnsafeRawBufferPointer) throws(EventLogError) -> RecordedEvent {
        let f = self.fields
        guard f.count == 7, let positionField = f[0], let streamField = f[1], let timeField = f[2], let versionField = f[3],
            let typeField = f[4], let hashField = f[5], let bodyField = f[6]
        else { throw EventLogError(.corruptEvent, "a scanned row has missing fields") }
        let position = CopyBinaryReader.int64(message, at: positionField.lowerBound)
        let streamID = CopyBinaryReader.int32(message, at: streamField.lowerBound)
        let typeID = CopyBinaryReader.int16(message, at: typeField.lowerBound)
        guard let stream = self.streams[streamID] else {
            throw EventLogError(.corruptEvent, "event \(position) names stream id \(streamID), which does not exist")
        }
        guard let type = self.types[typeID] else {
            throw EventLogError(.corruptEvent, "event \(position) has unknown type id \(typeID)")
        }
        return try EventDecoding.decode(
            position: position, stream: stream, streamVersion: Int(CopyBinaryReader.int32(message, at: versionField.lowerBound)),
            type: type,
            recordedAt: Timestamp(microseconds: CopyBinaryReader.int64(message, at: timeField.lowerBound) + Self.postgresEpochOffset),
            hash: Array(UnsafeRawBufferPointer(rebasing: message[hashField])),
            body: UnsafeRawBufferPointer(rebasing: message[bodyField]), decoder: &self.decoder)
    }
}
