/// Read access to a key-value store, or to a consistent snapshot of one.
public protocol KeyValueReader: Sendable {
    /// The value under `key`, or nil.
    func get(_ column: Column, _ key: [UInt8]) throws(StorageError) -> [UInt8]?

    /// Visits entries in ascending key order, starting at the first key ≥ `start` and staying within keys that
    /// begin with `prefix`. `body` returns false to stop early.
    func iterate(_ column: Column, prefix: [UInt8], start: [UInt8]?,
                 _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws
}

/// A persistent key-value store with column families, atomic batches and snapshots: the one storage seam.
/// RocksDB backs the node; `MemoryStore` backs unit tests; both pass the same conformance suite.
public protocol KeyValueStore: KeyValueReader {
    /// Applies every operation of `batch` atomically. With `sync`, returns only once the write is durable
    /// (fsync of the write-ahead log): one per block, not one per transaction.
    func write(_ batch: WriteBatch, sync: Bool) throws(StorageError)

    /// A read-only view frozen at this instant, unaffected by later writes (consistent reads for RPC).
    func snapshot() -> any KeyValueReader
}

extension KeyValueReader {
    public func contains(_ column: Column, _ key: [UInt8]) throws(StorageError) -> Bool {
        try get(column, key) != nil
    }

    /// Visits every entry whose key starts with `prefix`.
    public func iterate(_ column: Column, prefix: [UInt8] = [],
                        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        try iterate(column, prefix: prefix, start: nil, body)
    }
}

extension KeyValueStore {
    /// Writes one value (a batch of one).
    public func put(_ column: Column, _ key: [UInt8], _ value: [UInt8]) throws(StorageError) {
        var batch = WriteBatch()
        batch.put(column, key, value)
        try write(batch, sync: false)
    }

    /// Deletes one key (a batch of one).
    public func delete(_ column: Column, _ key: [UInt8]) throws(StorageError) {
        var batch = WriteBatch()
        batch.delete(column, key)
        try write(batch, sync: false)
    }
}
