import SankofaPrimitives

/// An append-only list in contract storage: a length slot and one slot per element (history entries, ids per
/// owner). Element values are raw bytes; callers encode them.
public struct StoredList: Sendable {
    let name: String
    let scope: [UInt8]

    /// A list identified by `name` and a scope (e.g. the owner's address bytes).
    public init(_ name: String, scope: [UInt8] = []) {
        self.name = name
        self.scope = scope
    }

    var lengthKey: Hash32 { StorageKey.make(name + ".length", scope) }
    func itemKey(_ index: UInt64) -> Hash32 { StorageKey.make(name + ".item", scope, StorageKey.number(index)) }

    public func count(_ slots: some SlotAccess) throws -> UInt64 { try count(slots, at: lengthKey) }

    /// The length read from `lengthKey` already derived by the caller (each derivation is a keccak).
    func count(_ slots: some SlotAccess, at lengthKey: Hash32) throws -> UInt64 {
        UInt256(bigEndian: try slots.load(lengthKey))?.asUInt64 ?? 0
    }

    public func item(_ slots: some SlotAccess, _ index: UInt64) throws -> [UInt8]? {
        guard index < (try count(slots)) else { return nil }
        return try slots.load(itemKey(index))
    }

    public func append(_ slots: some SlotAccess, _ value: [UInt8]) throws { try append(slots, value, lengthKey: lengthKey) }

    func append(_ slots: some SlotAccess, _ value: [UInt8], lengthKey: Hash32) throws {
        let length = try count(slots, at: lengthKey)
        try slots.store(itemKey(length), value)
        try slots.store(lengthKey, UInt256(length + 1).minimalBigEndianBytes)
    }

    public func all(_ slots: some SlotAccess) throws -> [[UInt8]] {
        let length = try count(slots)
        var items: [[UInt8]] = []
        items.reserveCapacity(Int(min(length, 4_096)))   // a corrupt length must not reserve unbounded memory
        for index in 0..<length { items.append(try slots.load(itemKey(index))) }
        return items
    }
}

/// A set of byte strings in contract storage with O(1) membership, insertion and removal (swap with the last
/// element), enumerable in insertion order up to removals: board members, validators, nodes per zone.
public struct StoredSet: Sendable {
    let list: StoredList
    let name: String
    let scope: [UInt8]

    public init(_ name: String, scope: [UInt8] = []) {
        self.name = name
        self.scope = scope
        self.list = StoredList(name, scope: scope)
    }

    /// 1-based position of `element`, 0 when absent.
    func positionKey(_ element: [UInt8]) -> Hash32 { StorageKey.make(name + ".position", scope, element) }

    public func contains(_ slots: some SlotAccess, _ element: [UInt8]) throws -> Bool {
        try !slots.load(positionKey(element)).isEmpty
    }

    public func count(_ slots: some SlotAccess) throws -> UInt64 { try list.count(slots) }

    /// Adds `element`; false if it was already present.
    @discardableResult
    public func insert(_ slots: some SlotAccess, _ element: [UInt8]) throws -> Bool {
        // Each key is derived once (a keccak each); the reads and writes, each charged gas, stay as they were.
        let positionKey = positionKey(element)
        if try !slots.load(positionKey).isEmpty { return false }
        let lengthKey = list.lengthKey
        let position = try list.count(slots, at: lengthKey) + 1
        try list.append(slots, element, lengthKey: lengthKey)
        try slots.store(positionKey, UInt256(position).minimalBigEndianBytes)
        return true
    }

    /// Removes `element`; false if it was absent.
    @discardableResult
    public func remove(_ slots: some SlotAccess, _ element: [UInt8]) throws -> Bool {
        let positionKey = positionKey(element)
        guard let position = UInt256(bigEndian: try slots.load(positionKey))?.asUInt64, position > 0 else {
            return false
        }
        let lengthKey = list.lengthKey
        let last = try list.count(slots, at: lengthKey)
        let lastItemKey = list.itemKey(last - 1)
        if position != last {
            let moved = try slots.load(lastItemKey)
            try slots.store(list.itemKey(position - 1), moved)
            try slots.store(self.positionKey(moved), UInt256(position).minimalBigEndianBytes)
        }
        try slots.store(lastItemKey, [])
        try slots.store(lengthKey, UInt256(last - 1).minimalBigEndianBytes)
        try slots.store(positionKey, [])
        return true
    }

    public func all(_ slots: some SlotAccess) throws -> [[UInt8]] { try list.all(slots) }

    /// The elements as addresses (for sets of addresses).
    public func addresses(_ slots: some SlotAccess) throws -> [Address] { try all(slots).compactMap { Address(bytes: $0) } }
}
