import CRocksDB

extension RocksDBStore {
    /// Visits `column` in key order from max(`start`, `prefix`) while keys carry `prefix`. Reads the latest
    /// state as of the call (RocksDB iterators pin an implicit snapshot). `body` may use this store.
    public func iterate(_ column: Column, prefix: [UInt8], start: [UInt8]?,
                        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        try iterate(column, prefix: prefix, start: start, snapshot: nil, body)
    }

    /// The iteration behind the store and its snapshots (`snapshot` nil = latest state).
    ///
    /// An exclusive upper bound (the prefix's successor) is set on the iterator so RocksDB stops at the end
    /// of the prefix itself instead of stepping over deleted keys beyond it; the explicit prefix check stays
    /// as the definition of the contract.
    func iterate(_ column: Column, prefix: [UInt8], start: [UInt8]?, snapshot: OpaquePointer?,
                 _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        try enterOpen()
        defer { leave() }

        guard let options = rocksdb_readoptions_create() else {
            throw StorageError(code: .io, message: "rocksdb could not allocate read options", path: path)
        }
        defer { rocksdb_readoptions_destroy(options) }
        if let snapshot { rocksdb_readoptions_set_snapshot(options, snapshot) }

        // The C API keeps only a pointer to the bound, so it lives in memory we own until the iterator is gone.
        let bound = KeyOrder.prefixSuccessor(prefix)
        let boundBuffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bound?.count ?? 0, 1))
        defer { boundBuffer.deallocate() }
        if let bound {
            for (index, byte) in bound.enumerated() { boundBuffer[index] = CChar(bitPattern: byte) }
            rocksdb_readoptions_set_iterate_upper_bound(options, boundBuffer.baseAddress, bound.count)
        }

        guard let iterator = rocksdb_create_iterator_cf(db, options, families[column.slot]) else {
            throw StorageError(code: .io, message: "rocksdb could not create an iterator", path: path)
        }
        defer { rocksdb_iter_destroy(iterator) }

        withCBytes(KeyOrder.seekKey(prefix: prefix, start: start)) { key, count in
            rocksdb_iter_seek(iterator, key, count)
        }
        try prefix.withUnsafeBufferPointer { prefixBytes in
            while rocksdb_iter_valid(iterator) != 0 {
                var keyLength = 0
                guard let keyBytes = rocksdb_iter_key(iterator, &keyLength) else { break }
                let key = UnsafeBufferPointer(start: UnsafeRawPointer(keyBytes).assumingMemoryBound(to: UInt8.self),
                                              count: keyLength)
                guard KeyOrder.hasPrefix(key, prefixBytes) else { return }
                var valueLength = 0
                let valueBytes = rocksdb_iter_value(iterator, &valueLength)
                let value = valueLength > 0 && valueBytes != nil
                    ? [UInt8](UnsafeRawBufferPointer(start: valueBytes, count: valueLength)) : []
                guard try body([UInt8](key), value) else { return }
                rocksdb_iter_next(iterator)
            }
            var error: UnsafeMutablePointer<CChar>?
            rocksdb_iter_get_error(iterator, &error)
            if let message = takeMessage(error) { throw failure(message) }
        }
    }
}
