import SankofaPrimitives
/// An in-memory `KeyValueStore` for unit tests and tools: every column is a sorted array, so iteration order is
/// the same byte-wise order RocksDB uses. Thread-safe (one lock); a batch is applied under one lock hold, so
/// readers see all of it or none of it. Nothing is persisted.
public final class MemoryStore: KeyValueStore, Sendable {
    private let tables: Locked<[SortedTable]>

    public init() {
        tables = Locked(Array(repeating: SortedTable(), count: Column.slotCount))
    }

    public func get(_ column: Column, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        tables.withLock { $0[column.slot].value(for: key) }
    }

    /// Iterates over a copy-on-write view taken when the call starts, without holding the lock, so `body` may
    /// read or write this store (its writes are not visited).
    public func iterate(_ column: Column, prefix: [UInt8], start: [UInt8]?,
                        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        let table = tables.withLock { $0[column.slot] }
        try table.iterate(prefix: prefix, start: start, body)
    }

    /// Applies the whole batch under one lock hold. `sync` has no meaning in memory.
    public func write(_ batch: WriteBatch, sync: Bool) throws(StorageError) {
        guard !batch.isEmpty else { return }
        var perColumn = Array(repeating: [WriteBatch.Operation](), count: Column.slotCount)
        for operation in batch.operations {
            switch operation {
            case .put(let column, _, _), .delete(let column, _): perColumn[column.slot].append(operation)
            }
        }
        tables.withLock { tables in
            for slot in 0..<Column.slotCount where !perColumn[slot].isEmpty {
                tables[slot].apply(perColumn[slot])
            }
        }
    }

    /// An immutable copy of every column (copy-on-write: O(1) now; the next write to a column copies it once).
    public func snapshot() -> any KeyValueReader {
        MemorySnapshot(tables: tables.withLock { $0 })
    }
}

/// A frozen view of a `MemoryStore`.
struct MemorySnapshot: KeyValueReader {
    let tables: [SortedTable]

    func get(_ column: Column, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        tables[column.slot].value(for: key)
    }

    func iterate(_ column: Column, prefix: [UInt8], start: [UInt8]?,
                 _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        try tables[column.slot].iterate(prefix: prefix, start: start, body)
    }
}

/// One column: keys in ascending byte order with their values in a parallel array.
struct SortedTable: Sendable {
    private(set) var keys: [[UInt8]] = []
    private(set) var values: [[UInt8]] = []

    /// The first index whose key is ≥ `key`.
    func lowerBound(_ key: [UInt8]) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = low + (high - low) / 2
            if KeyOrder.compare(keys[mid], key) < 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func value(for key: [UInt8]) -> [UInt8]? {
        let index = lowerBound(key)
        guard index < keys.count, KeyOrder.compare(keys[index], key) == 0 else { return nil }
        return values[index]
    }

    func iterate(prefix: [UInt8], start: [UInt8]?,
                 _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        var index = lowerBound(KeyOrder.seekKey(prefix: prefix, start: start))
        while index < keys.count, KeyOrder.hasPrefix(keys[index], prefix) {
            guard try body(keys[index], values[index]) else { return }
            index += 1
        }
    }

    /// Batches up to this size are applied one binary-search insertion at a time; larger ones are merged in
    /// O(n + m log m) so a 10k-key batch into a large table does not cost 10k array shifts.
    private static let mergeThreshold = 32

    mutating func apply(_ operations: [WriteBatch.Operation]) {
        if operations.count <= Self.mergeThreshold {
            for operation in operations {
                switch operation {
                case .put(_, let key, let value): set(key, value)
                case .delete(_, let key): set(key, nil)
                }
            }
        } else {
            merge(Self.finalChanges(operations))
        }
    }

    private mutating func set(_ key: [UInt8], _ value: [UInt8]?) {
        let index = lowerBound(key)
        let present = index < keys.count && KeyOrder.compare(keys[index], key) == 0
        switch (present, value) {
        case (true, let value?): values[index] = value
        case (true, nil): keys.remove(at: index); values.remove(at: index)
        case (false, let value?): keys.insert(key, at: index); values.insert(value, at: index)
        case (false, nil): break
        }
    }

    /// The net effect of `operations` per key (later wins), sorted by key; nil means delete.
    private static func finalChanges(_ operations: [WriteBatch.Operation]) -> [(key: [UInt8], value: [UInt8]?)] {
        var changes: [(key: [UInt8], value: [UInt8]?, order: Int)] = []
        changes.reserveCapacity(operations.count)
        for (order, operation) in operations.enumerated() {
            switch operation {
            case .put(_, let key, let value): changes.append((key, value, order))
            case .delete(_, let key): changes.append((key, nil, order))
            }
        }
        changes.sort { lhs, rhs in
            let c = KeyOrder.compare(lhs.key, rhs.key)
            return c != 0 ? c < 0 : lhs.order < rhs.order
        }
        var result: [(key: [UInt8], value: [UInt8]?)] = []
        result.reserveCapacity(changes.count)
        for change in changes {
            if let last = result.last, KeyOrder.compare(last.key, change.key) == 0 {
                result[result.count - 1].value = change.value
            } else {
                result.append((change.key, change.value))
            }
        }
        return result
    }

    /// Merges sorted, de-duplicated changes into the table.
    private mutating func merge(_ changes: [(key: [UInt8], value: [UInt8]?)]) {
        var newKeys: [[UInt8]] = []
        var newValues: [[UInt8]] = []
        newKeys.reserveCapacity(keys.count + changes.count)
        newValues.reserveCapacity(keys.count + changes.count)
        var i = 0
        var j = 0
        while i < keys.count || j < changes.count {
            let order = i == keys.count ? 1 : j == changes.count ? -1 : KeyOrder.compare(keys[i], changes[j].key)
            if order < 0 {
                newKeys.append(keys[i]); newValues.append(values[i]); i += 1
            } else {
                if let value = changes[j].value { newKeys.append(changes[j].key); newValues.append(value) }
                if order == 0 { i += 1 }
                j += 1
            }
        }
        keys = newKeys
        values = newValues
    }
}
