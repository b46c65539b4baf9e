import CRocksDB

/// A consistent read-only view of a `RocksDBStore` at the instant `snapshot()` was called: later writes are
/// invisible to it. Holds the store, so the database stays open while the snapshot lives; the RocksDB
/// snapshot is released when this object goes away (or by `close()`, after which reads throw `.io`).
/// Release snapshots promptly: RocksDB keeps every version they pin, which blocks compaction from
/// dropping old data.
///
/// `@unchecked Sendable` is safe: the snapshot and read options are immutable after `init` and RocksDB reads
/// through them are thread-safe; the store serialises their release against its own close.
public final class RocksDBSnapshot: KeyValueReader, @unchecked Sendable {
    private let store: RocksDBStore
    /// nil when taken from a closed store (every read then throws `.io`).
    private let snapshot: OpaquePointer?
    private let readOptions: OpaquePointer?

    init(store: RocksDBStore, snapshot: OpaquePointer?) {
        self.store = store
        self.snapshot = snapshot
        if let snapshot, let options = rocksdb_readoptions_create() {
            rocksdb_readoptions_set_snapshot(options, snapshot)
            readOptions = options
        } else {
            readOptions = nil
        }
    }

    deinit {
        if let readOptions { rocksdb_readoptions_destroy(readOptions) }
        if let snapshot { store.releaseSnapshot(snapshot) }
    }

    public func get(_ column: Column, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        guard let readOptions else { throw store.closedError }
        return try store.withOpenHandles { () throws(StorageError) in try store.read(column, key, readOptions) }
    }

    public func iterate(_ column: Column, prefix: [UInt8], start: [UInt8]?,
                        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        guard let snapshot, readOptions != nil else { throw store.closedError }
        try store.iterate(column, prefix: prefix, start: start, snapshot: snapshot, body)
    }
}
