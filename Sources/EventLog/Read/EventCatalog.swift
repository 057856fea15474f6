public import PostgresNIO
public import Logging
import Synchronization

/// What decoding needs besides the row: the interned event types and the compression dictionaries.
/// Both are immutable once written, so they are cached for the process's life and reloaded only
/// when an unknown id appears.
final class EventCatalog: Sendable {
    struct TypeKey: Hashable, Sendable {
        var name: String
        var schemaVersion: Int
    }

    private struct State {
        var typeIDs: [TypeKey: Int16] = [:]
        var types: [Int16: TypeKey] = [:]
        var dictionaries: [Int16: [UInt8]] = [:]
    }

    private let state = Mutex(State())
    private let client: PostgresClient

    init(client: PostgresClient) { self.client = client }

    /// The ids of `keys`, interning those the database does not have yet.
    func typeIDs(for keys: Set<TypeKey>, logger: Logger) async throws -> [TypeKey: Int16] {
        var missing = self.state.withLock { state in keys.filter { state.typeIDs[$0] == nil } }
        if !missing.isEmpty {
            let names = missing.map(\.name)
            let versions = missing.map { Int16($0.schemaVersion) }
            try await self.client.query(
                """
                INSERT INTO parley_event_types (name, schema_version)
                SELECT * FROM unnest(\(names)::text[], \(versions)::int2[]) ON CONFLICT DO NOTHING
                """, logger: logger)
            try await self.reloadTypes(logger: logger)
            missing = self.state.withLock { state in keys.filter { state.typeIDs[$0] == nil } }
            precondition(missing.isEmpty, "interned event types must be readable")
        }
        return self.state.withLock { state in Dictionary(uniqueKeysWithValues: keys.map { ($0, state.typeIDs[$0]!) }) }
    }

    /// The type with `id`, reloading the table once if it is not known yet.
    func type(_ id: Int16, logger: Logger) async throws -> TypeKey? {
        if let known = self.state.withLock({ $0.types[id] }) { return known }
        try await self.reloadTypes(logger: logger)
        return self.state.withLock { $0.types[id] }
    }

    /// A decoder holding every dictionary known, reloading them first if one of `ids` is not known yet.
    func decoder(for ids: Set<Int16>, logger: Logger) async throws -> BodyDecoder {
        let known = self.state.withLock { state in ids.allSatisfy { state.dictionaries[$0] != nil } }
        if !known { try await self.reloadDictionaries(logger: logger) }
        return BodyDecoder(dictionaries: self.state.withLock { $0.dictionaries })
    }

    /// Every type known now, by id.
    func knownTypes() -> [Int16: TypeKey] { self.state.withLock { $0.types } }

    /// Reloads both tables.
    func reload(logger: Logger) async throws {
        try await self.reloadTypes(logger: logger)
        try await self.reloadDictionaries(logger: logger)
    }

    private func reloadTypes(logger: Logger) async throws {
        var types: [Int16: TypeKey] = [:]
        let rows = try await self.client.query("SELECT id, name, schema_version FROM parley_event_types", logger: logger)
        for try await (id, name, version) in rows.decode((Int16, String, Int16).self) {
            types[id] = TypeKey(name: name, schemaVersion: Int(version))
        }
        self.state.withLock { state in
            state.types = types
            state.typeIDs = Dictionary(uniqueKeysWithValues: types.map { ($1, $0) })
        }
    }

    private func reloadDictionaries(logger: Logger) async throws {
        var dictionaries: [Int16: [UInt8]] = [:]
        let rows = try await self.client.query("SELECT id, bytes FROM parley_dictionaries", logger: logger)
        for try await (id, bytes) in rows.decode((Int16, ByteBuffer).self) {
            dictionaries[id] = Array(buffer: bytes)
        }
        self.state.withLock { $0.dictionaries = dictionaries }
    }
}
