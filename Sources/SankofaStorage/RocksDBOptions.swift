/// The RocksDB tuning knobs the node exposes. The defaults suit a single node on a small machine: one block
/// cache shared by every column family (so memory is bounded by one number), bloom filters (point lookups of
/// absent trie nodes and headers skip the disk), LZ4 (cheap CPU, ~2x on RLP), and two background jobs.
public struct RocksDBOptions: Sendable, Equatable {
    /// Block compression for SST files. If the linked librocksdb lacks the codec, the store falls back to
    /// `.none` rather than failing to open.
    public enum Compression: Sendable, Equatable {
        case none
        case snappy
        case lz4
    }

    /// Bytes of the LRU block cache shared by all column families (default 256 MiB).
    public var blockCacheBytes: Int
    /// Bloom filter bits per key (default 10, about 1% false positives); 0 disables the filter.
    public var bloomBitsPerKey: Double
    /// Preferred block compression (default LZ4).
    public var compression: Compression
    /// Most SST files kept open at once (default 512; -1 keeps all open). Bounded so the node stays well under
    /// a typical 1024-descriptor limit alongside its sockets.
    public var maxOpenFiles: Int32
    /// Background flush + compaction threads (default 2, one per core here).
    public var maxBackgroundJobs: Int32
    /// Size each level by the actual data below it (default on): less space amplification on a growing chain.
    public var levelCompactionDynamicLevelBytes: Bool
    /// Memtable size per column family before it is flushed (default 64 MiB, RocksDB's own default).
    public var writeBufferBytes: Int

    public init(blockCacheBytes: Int = 256 << 20,
                bloomBitsPerKey: Double = 10,
                compression: Compression = .lz4,
                maxOpenFiles: Int32 = 512,
                maxBackgroundJobs: Int32 = 2,
                levelCompactionDynamicLevelBytes: Bool = true,
                writeBufferBytes: Int = 64 << 20) {
        self.blockCacheBytes = blockCacheBytes
        self.bloomBitsPerKey = bloomBitsPerKey
        self.compression = compression
        self.maxOpenFiles = maxOpenFiles
        self.maxBackgroundJobs = maxBackgroundJobs
        self.levelCompactionDynamicLevelBytes = levelCompactionDynamicLevelBytes
        self.writeBufferBytes = writeBufferBytes
    }
}
