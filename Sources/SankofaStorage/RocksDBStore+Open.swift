import CRocksDB
import Glibc

extension RocksDBStore {
    /// Creates the directory, builds the tuned options and opens every column family. If the preferred
    /// compression codec is not compiled into librocksdb, retries once without compression.
    static func open(path: String, options: RocksDBOptions)
        throws(StorageError) -> (db: OpaquePointer, families: [OpaquePointer]) {
        guard !path.isEmpty else {
            throw StorageError(code: .openFailed, message: "the database path is empty", path: path)
        }
        guard !path.utf8.contains(0) else {
            throw StorageError(code: .openFailed, message: "the database path contains a NUL byte", path: path)
        }
        try createDirectory(path)
        do {
            return try open(path: path, options: options, compression: options.compression)
        } catch let error where options.compression != .none && isMissingCodec(error.message) {
            return try open(path: path, options: options, compression: .none)
        }
    }

    private static func open(path: String, options: RocksDBOptions, compression: RocksDBOptions.Compression)
        throws(StorageError) -> (db: OpaquePointer, families: [OpaquePointer]) {
        guard let native = makeOptions(options, compression: compression) else {
            throw StorageError(code: .openFailed, message: "rocksdb could not allocate options", path: path)
        }
        defer { rocksdb_options_destroy(native) }

        let columns = Column.allCases
        let names = columns.map { strdup($0.familyName) }
        defer { for name in names { free(name) } }
        guard !names.contains(nil) else {
            throw StorageError(code: .openFailed, message: "out of memory", path: path)
        }
        let namePointers = names.map { UnsafePointer<CChar>($0) }
        let familyOptions = [OpaquePointer?](repeating: native, count: columns.count)
        var handles = [OpaquePointer?](repeating: nil, count: columns.count)
        var error: UnsafeMutablePointer<CChar>?
        let db = rocksdb_open_column_families(native, path, Int32(columns.count), namePointers, familyOptions,
                                              &handles, &error)
        if let message = takeMessage(error) {
            if let db {
                for handle in handles { if let handle { rocksdb_column_family_handle_destroy(handle) } }
                rocksdb_close(db)
            }
            throw openError(message, path: path)
        }
        guard let db else {
            throw StorageError(code: .openFailed, message: "rocksdb_open returned no database", path: path)
        }
        var families = [OpaquePointer?](repeating: nil, count: Column.slotCount)
        for (index, column) in columns.enumerated() { families[column.slot] = handles[index] }
        let opened = families.compactMap { $0 }
        guard opened.count == Column.slotCount else {
            for handle in handles { if let handle { rocksdb_column_family_handle_destroy(handle) } }
            rocksdb_close(db)
            throw StorageError(code: .openFailed, message: "rocksdb did not return every column family",
                               path: path)
        }
        return (db, opened)
    }

    /// DB and column-family options: shared LRU cache + bloom filter in a block-based table, compression,
    /// file and thread limits. Every family gets the same options, so the one cache bounds all of them.
    /// The returned options own copies of the table factory and cache references, so the table options and
    /// our reference to the cache are freed here.
    private static func makeOptions(_ options: RocksDBOptions, compression: RocksDBOptions.Compression)
        -> OpaquePointer? {
        guard let native = rocksdb_options_create() else { return nil }
        rocksdb_options_set_create_if_missing(native, 1)
        rocksdb_options_set_create_missing_column_families(native, 1)
        rocksdb_options_set_max_open_files(native, options.maxOpenFiles < 0 ? -1 : max(options.maxOpenFiles, 16))
        rocksdb_options_set_max_background_jobs(native, max(options.maxBackgroundJobs, 1))
        rocksdb_options_set_level_compaction_dynamic_level_bytes(native,
                                                                 options.levelCompactionDynamicLevelBytes ? 1 : 0)
        rocksdb_options_set_write_buffer_size(native, max(options.writeBufferBytes, 1 << 20))
        rocksdb_options_set_compression(native, Int32(codec(compression)))

        if let table = rocksdb_block_based_options_create() {
            defer { rocksdb_block_based_options_destroy(table) }
            if let cache = rocksdb_cache_create_lru(max(options.blockCacheBytes, 0)) {
                rocksdb_block_based_options_set_block_cache(table, cache)
                rocksdb_cache_destroy(cache)  // the table options keep their own reference
            }
            let bits = options.bloomBitsPerKey
            if bits.isFinite, bits > 0, let bloom = rocksdb_filterpolicy_create_bloom_full(min(bits, 100)) {
                rocksdb_block_based_options_set_filter_policy(table, bloom)  // takes ownership
            }
            // Index and filter blocks count against the cache too (else they grow with the database, outside
            // any limit); L0's stay pinned because every read consults them.
            rocksdb_block_based_options_set_cache_index_and_filter_blocks(table, 1)
            rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(table, 1)
            rocksdb_options_set_block_based_table_factory(native, table)  // copies the table options
        }
        return native
    }

    private static func codec(_ compression: RocksDBOptions.Compression) -> Int {
        switch compression {
        case .none: rocksdb_no_compression
        case .snappy: rocksdb_snappy_compression
        case .lz4: rocksdb_lz4_compression
        }
    }

    /// RocksDB's answer when a codec was not compiled in ("Compression type LZ4 is not linked with the binary").
    private static func isMissingCodec(_ message: String) -> Bool {
        let lower = message.lowercased()
        return lower.contains("compression") && (lower.contains("not linked") || lower.contains("not supported"))
    }

    /// Classifies an open failure. RocksDB reports a held lock as "IO error: While lock file: <path>/LOCK:
    /// Resource temporarily unavailable" (another process) or "IO error: lock hold by current process, …"
    /// (same process). The database path is cut out before matching, so a path that merely contains "lock"
    /// does not turn every error into `.locked`.
    static func openError(_ message: String, path: String) -> StorageError {
        let withoutPath = message.replacingAll(path, with: "").lowercased()
        let locked = withoutPath.contains("lock file") || withoutPath.contains("lock hold")
            || withoutPath.contains("/lock:") || withoutPath.contains("no locks available")
        return StorageError(code: locked ? .locked : .openFailed, message: message, path: path)
    }

    /// `mkdir -p`: creates `path` and missing parents (RocksDB creates only the last component); fails with
    /// `.openFailed` if something that is not a directory is in the way.
    static func createDirectory(_ path: String) throws(StorageError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                if code != EEXIST {
                    throw StorageError(code: .openFailed,
                                       message: "cannot create directory \(prefix): \(errorText(code))", path: path)
                }
            }
            prefix += "/"
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StorageError(code: .openFailed, message: "cannot stat \(path): \(errorText(errno))", path: path)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw StorageError(code: .openFailed, message: "\(path) exists and is not a directory", path: path)
        }
    }

    private static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in library code).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
