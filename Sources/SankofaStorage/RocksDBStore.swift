import CRocksDB
import Glibc

/// The node's persistent `KeyValueStore`: one RocksDB database with a column family per `Column`, written
/// through the write-ahead log so an acknowledged batch survives a crash (and a `sync` batch survives power
/// loss).
///
/// Lifetime: the database closes when the store (and every snapshot taken from it) is gone, or earlier with
/// `close()`. After `close()` every call throws `.io`, including reads through snapshots taken earlier.
///
/// `@unchecked Sendable` is safe: RocksDB's `rocksdb_t`, column-family handles and read/write options are
/// thread-safe for concurrent use (the options are never mutated after `init`); freeing them is serialised
/// against in-flight operations by `gate`, which also guards the only other mutable state (live snapshots).
public final class RocksDBStore: KeyValueStore, @unchecked Sendable {
    /// The database directory, as given to `init`.
    public let path: String

    let gate = CloseGate()
    let db: OpaquePointer
    /// Column-family handles indexed by `Column.slot`.
    let families: [OpaquePointer]
    /// Plain reads (latest committed state).
    let readOptions: OpaquePointer
    private let writeOptions: OpaquePointer
    private let syncWriteOptions: OpaquePointer

    /// Opens (creating if needed) the database at `path`, with every column family.
    ///
    /// Errors: `.locked` when another process (or another store in this process) has it open; `.openFailed`
    /// for anything else that prevents opening (path is a file, permissions, incompatible options).
    public init(path: String, options: RocksDBOptions = .init()) throws(StorageError) {
        self.path = path
        let opened = try RocksDBStore.open(path: path, options: options)
        db = opened.db
        families = opened.families
        readOptions = rocksdb_readoptions_create()
        writeOptions = rocksdb_writeoptions_create()
        syncWriteOptions = rocksdb_writeoptions_create()
        rocksdb_writeoptions_set_sync(syncWriteOptions, 1)
    }

    deinit {
        // No operation can be in flight (each holds a strong reference), so this never waits.
        if gate.close() { releaseHandles() }
    }

    /// Closes the database now, releasing its lock so the path can be reopened. Idempotent. Waits for
    /// operations running on other threads; if called from inside one of this store's own operations (an
    /// `iterate` callback), the release happens when that operation returns.
    public func close() {
        if gate.close() { releaseHandles() }
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { gate.isClosing }

    public func get(_ column: Column, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        try withOpenHandles { () throws(StorageError) in try read(column, key, readOptions) }
    }

    /// Builds one RocksDB write batch of all operations (in order, so a later operation on a key wins) and
    /// writes it atomically; with `sync` the WAL is fsynced before returning.
    public func write(_ batch: WriteBatch, sync: Bool) throws(StorageError) {
        guard !batch.isEmpty else { return }
        try withOpenHandles { () throws(StorageError) in
            let native = rocksdb_writebatch_create()
            defer { rocksdb_writebatch_destroy(native) }
            for index in Self.insertionOrder(batch.operations) {
                switch batch.operations[index] {
                case .put(let column, let key, let value):
                    let family = families[column.slot]
                    withCBytes(key) { k, kn in
                        withCBytes(value) { v, vn in rocksdb_writebatch_put_cf(native, family, k, kn, v, vn) }
                    }
                case .delete(let column, let key):
                    let family = families[column.slot]
                    withCBytes(key) { k, kn in rocksdb_writebatch_delete_cf(native, family, k, kn) }
                }
            }
            var error: UnsafeMutablePointer<CChar>?
            rocksdb_write(db, sync ? syncWriteOptions : writeOptions, native, &error)
            if let message = takeMessage(error) { throw failure(message) }
        }
    }

    /// The batch's operations ordered by column, then key, then position (a later operation on a key still comes
    /// after an earlier one). A memtable is a skip list that starts each insert from where the previous one ended,
    /// so keys in order cost a few comparisons each instead of a search from the top: a block's trie nodes and
    /// transaction lookups arrive keyed by hash, that is in random order.
    static func insertionOrder(_ operations: [WriteBatch.Operation]) -> [Int] {
        var entries: [(slot: Int, key: [UInt8], index: Int)] = []
        entries.reserveCapacity(operations.count)
        for (index, operation) in operations.enumerated() {
            switch operation {
            case .put(let column, let key, _), .delete(let column, let key): entries.append((column.slot, key, index))
            }
        }
        entries.sort { a, b in
            if a.slot != b.slot { return a.slot < b.slot }
            let shared = min(a.key.count, b.key.count)
            let order = shared == 0 ? 0 : a.key.withUnsafeBufferPointer { x in
                b.key.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, shared) }
            }
            if order != 0 { return order < 0 }
            if a.key.count != b.key.count { return a.key.count < b.key.count }
            return a.index < b.index
        }
        return entries.map(\.index)
    }

    /// A consistent view pinned at this instant (a RocksDB snapshot). On a closed store it returns a view whose
    /// every call throws `.io`.
    public func snapshot() -> any KeyValueReader {
        let snapshot: OpaquePointer?
        if gate.enter() {
            let created = rocksdb_create_snapshot(db)
            if let created { gate.registerSnapshot(Int(bitPattern: created)) }
            snapshot = created
            leave()
        } else {
            snapshot = nil
        }
        return RocksDBSnapshot(store: self, snapshot: snapshot)
    }

    // MARK: - Internals shared with snapshots and iteration

    /// Runs `body` with the handles guaranteed open for its duration; `.io` once closed.
    func withOpenHandles<R>(_ body: () throws(StorageError) -> R) throws(StorageError) -> R {
        try enterOpen()
        defer { leave() }
        return try body()
    }

    /// Begins an operation on the handles; `.io` once closed. Pair with `leave()`.
    func enterOpen() throws(StorageError) {
        guard gate.enter() else { throw closedError }
    }

    /// Ends an operation; performs a close that was deferred until now.
    func leave() {
        if gate.leave() { releaseHandles() }
    }

    var closedError: StorageError {
        StorageError(code: .io, message: "the database has been closed", path: path)
    }

    /// A point read with the given read options (plain or snapshot). Uses a pinnable slice: absent and empty
    /// values stay distinct without relying on `malloc(0)` returning non-NULL, and the value is copied once.
    func read(_ column: Column, _ key: [UInt8], _ options: OpaquePointer) throws(StorageError) -> [UInt8]? {
        var error: UnsafeMutablePointer<CChar>?
        let family = families[column.slot]
        let slice = withCBytes(key) { k, kn in rocksdb_get_pinned_cf(db, options, family, k, kn, &error) }
        if let message = takeMessage(error) {
            if let slice { rocksdb_pinnableslice_destroy(slice) }
            throw failure(message)
        }
        guard let slice else { return nil }
        defer { rocksdb_pinnableslice_destroy(slice) }
        var length = 0
        guard let bytes = rocksdb_pinnableslice_value(slice, &length), length > 0 else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// Releases a snapshot taken by `snapshot()` (from the snapshot's deinit). If the store is closing, the
    /// release is left to `releaseHandles()`, which frees every snapshot still registered.
    func releaseSnapshot(_ snapshot: OpaquePointer) {
        guard gate.enter() else { return }
        if gate.unregisterSnapshot(Int(bitPattern: snapshot)) { rocksdb_release_snapshot(db, snapshot) }
        leave()
    }

    /// A backend error message as a `StorageError` for this store.
    func failure(_ message: String) -> StorageError {
        let code: StorageError.Code = message.hasPrefix("Corruption") ? .corruption : .io
        return StorageError(code: code, message: message, path: path)
    }

    /// Frees everything. Called exactly once, by whoever `gate` designates, with no operation in flight.
    private func releaseHandles() {
        for bits in gate.takeSnapshots() {
            if let snapshot = OpaquePointer(bitPattern: bits) { rocksdb_release_snapshot(db, snapshot) }
        }
        for family in families { rocksdb_column_family_handle_destroy(family) }
        rocksdb_close(db)
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_writeoptions_destroy(writeOptions)
        rocksdb_writeoptions_destroy(syncWriteOptions)
    }
}

/// Calls `body` with a C view of `bytes` that is never NULL (an empty array may have no storage; RocksDB
/// slices are built with memcpy, which must not see NULL even for length 0).
@inline(__always)
func withCBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>, Int) throws -> R) rethrows -> R {
    try bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress {
            return try body(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), buffer.count)
        }
        var empty: CChar = 0
        return try withUnsafePointer(to: &empty) { try body($0, 0) }
    }
}

/// Converts a RocksDB error out-parameter to a Swift string and frees it; nil when there was no error.
func takeMessage(_ error: UnsafeMutablePointer<CChar>?) -> String? {
    guard let error else { return nil }
    defer { rocksdb_free(error) }
    return String(cString: error)
}
