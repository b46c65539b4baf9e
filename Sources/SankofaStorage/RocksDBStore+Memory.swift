import CRocksDB

/// The memory RocksDB holds for the node, read from RocksDB's own properties, so an operator can tell a growing
/// resident size that is the database filling its bounded buffers from one that is not.
public struct StoreMemoryUsage: Sendable, Equatable {
    /// Write buffers of every column family, the active one and those waiting for their flush
    /// (`rocksdb.cur-size-all-mem-tables`): up to two of `RocksDBOptions.writeBufferBytes` per family.
    public let memtables: UInt64
    /// The charge on the block cache all families share (`rocksdb.block-cache-usage`): at most
    /// `RocksDBOptions.blockCacheBytes`, index and filter blocks included.
    public let blockCache: UInt64
    /// Index and filter blocks held by open table readers outside the cache (`rocksdb.estimate-table-readers-mem`).
    public let tableReaders: UInt64
}

extension RocksDBStore {
    /// What the database holds in memory now. A property RocksDB does not report counts as zero.
    public func memoryUsage() throws(StorageError) -> StoreMemoryUsage {
        try withOpenHandles { () throws(StorageError) in
            func value(_ property: String, of family: OpaquePointer) -> UInt64 {
                var value: UInt64 = 0
                return rocksdb_property_int_cf(db, family, property, &value) == 0 ? value : 0
            }
            func sum(_ property: String) -> UInt64 { families.reduce(0) { $0 + value(property, of: $1) } }
            // One cache serves every family, so any family's figure is the whole cache's.
            return StoreMemoryUsage(memtables: sum("rocksdb.cur-size-all-mem-tables"),
                                    blockCache: value("rocksdb.block-cache-usage", of: families[0]),
                                    tableReaders: sum("rocksdb.estimate-table-readers-mem"))
        }
    }
}
