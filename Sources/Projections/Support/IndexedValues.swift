/// Values kept in an array in the order their keys first came, found by key with one hash lookup:
/// projections keep per-conversation state here, look a conversation up once per event and then
/// work on its value in place.
struct IndexedValues<Key: Hashable & Sendable, Value: Hashable & Sendable>: Hashable, Sendable {
    /// The keys, by index.
    private(set) var keys: [Key] = []
    /// The values, by index; mutate them in place through this array.
    var values: [Value] = []
    private var indexes: [Key: Int] = [:]

    /// The index of `key`'s value, if it has one.
    func index(of key: Key) -> Int? { self.indexes[key] }

    /// Adds a value for a key that has none yet and returns its index.
    mutating func append(_ value: Value, for key: Key) -> Int {
        let index = self.values.count
        self.indexes[key] = index
        self.keys.append(key)
        self.values.append(value)
        return index
    }

    /// The value of `key`, if any.
    subscript(key: Key) -> Value? { self.index(of: key).map { self.values[$0] } }
}
