import Foundation
@testable import SankofaStorage
import Testing

/// Behaviour specific to the RocksDB backend: persistence, locking, open errors and `close()`.
@Suite("RocksDBStore")
struct RocksDBStoreTests {
    /// A temp dir for one test; `body` gets the database path inside it.
    func withDatabasePath(_ body: (String) throws -> Void) throws {
        let directory = try makeTemporaryDirectory()
        defer { removeTemporaryDirectory(directory) }
        try body(directory + "/nested/db")  // parents are created too
    }

    /// Operations reach the memtable sorted by column and key (fewer skip-list comparisons), and operations on one
    /// key keep their order, so the later still wins.
    @Test func batchesAreInsertedInKeyOrderKeepingTheOrderOfEachKey() {
        var batch = WriteBatch()
        batch.put(.trieNodes, [9, 1], [0])     // 0
        batch.put(.bodies, [2], [0])           // 1
        batch.delete(.trieNodes, [9])          // 2
        batch.put(.trieNodes, [9, 1], [1])     // 3: same key as 0, stays after it
        batch.put(.bodies, [1, 255], [0])      // 4
        batch.put(.trieNodes, [9], [1])        // 5: same key as 2, stays after it
        batch.put(.bodies, [1], [0])           // 6: a prefix sorts first
        #expect(RocksDBStore.insertionOrder(batch.operations) == [6, 4, 1, 2, 5, 0, 3])
    }

    /// Whatever order a batch's keys come in, the store ends up as applying its operations one by one would.
    @Test func aShuffledBatchEndsAsItsOperationsInOrder() throws {
        try withDatabasePath { path in
            let store = try RocksDBStore(path: path)
            var generator = SystemRandomNumberGenerator()
            var model: [Column: [[UInt8]: [UInt8]]] = [:]
            for round in 0..<20 {
                var batch = WriteBatch()
                for _ in 0..<500 {
                    let column: Column = Bool.random(using: &generator) ? .trieNodes : .transactionLookup
                    let key = (0..<Int.random(in: 1...3, using: &generator)).map { _ in UInt8.random(in: 0...7, using: &generator) }
                    if Int.random(in: 0..<4, using: &generator) == 0 {
                        batch.delete(column, key)
                        model[column, default: [:]][key] = nil
                    } else {
                        let value = [UInt8(round), UInt8.random(in: 0...255, using: &generator)]
                        batch.put(column, key, value)
                        model[column, default: [:]][key] = value
                    }
                }
                try store.write(batch, sync: false)
            }
            for column in [Column.trieNodes, .transactionLookup] {
                let stored = try collect(store, column)
                let expected = (model[column] ?? [:]).sorted { $0.key.lexicographicallyPrecedes($1.key) }
                #expect(stored.map(\.0) == expected.map(\.key))
                #expect(stored.map(\.1) == expected.map(\.value))
            }
        }
    }

    @Test func dataSurvivesCloseAndReopen() throws {
        try withDatabasePath { path in
            do {
                let store = try RocksDBStore(path: path)
                var batch = WriteBatch()
                for column in Column.allCases { batch.put(column, [1, 2], Array(column.familyName.utf8)) }
                batch.put(.metadata, Array("head".utf8), [0xde, 0xad])
                try store.write(batch, sync: true)
                try store.put(.headers, [9], [])  // unsynced, but in the WAL: survives a clean close
                store.close()
            }
            do {
                // Reopening also works with the deinit path (no explicit close) below.
                let store = try RocksDBStore(path: path)
                for column in Column.allCases {
                    #expect(try store.get(column, [1, 2]) == Array(column.familyName.utf8))
                }
                #expect(try store.get(.metadata, Array("head".utf8)) == [0xde, 0xad])
                #expect(try store.get(.headers, [9]) == [])
                try store.put(.headers, [10], [10])
            }
            let store = try RocksDBStore(path: path)
            #expect(try store.get(.headers, [10]) == [10])
        }
    }

    /// RocksDB's lock is a per-process fcntl lock plus a per-process table of locked files; a second open in
    /// the same process fails with "lock hold by current process", which must map to `.locked` too.
    @Test func secondOpenOfTheSamePathIsLocked() throws {
        try withDatabasePath { path in
            let first = try RocksDBStore(path: path)
            var caught: StorageError?
            do throws(StorageError) {
                _ = try RocksDBStore(path: path)
            } catch {
                caught = error
            }
            let error = try #require(caught)
            #expect(error.code == .locked)
            #expect(error.path == path)
            #expect(error.message.contains(path))
            #expect(error.description.contains(path))
            // The first store is unaffected, and closing it frees the path.
            try first.put(.metadata, [1], [1])
            first.close()
            let second = try RocksDBStore(path: path)
            #expect(try second.get(.metadata, [1]) == [1])
        }
    }

    @Test func lockMessagesMapToLocked() {
        let path = "/var/lib/blocklock/db"  // a path containing "lock" must not make every error `.locked`
        #expect(RocksDBStore.openError(
            "IO error: While lock file: \(path)/LOCK: Resource temporarily unavailable", path: path).code == .locked)
        #expect(RocksDBStore.openError(
            "IO error: lock hold by current process, acquire time 1 acquiring thread 2: \(path)/LOCK: " +
            "No locks available", path: path).code == .locked)
        #expect(RocksDBStore.openError("IO error: While opening a file for sequentially reading: \(path)/CURRENT: " +
            "Permission denied", path: path).code == .openFailed)
        #expect(RocksDBStore.openError("Invalid argument: Column family not found: x", path: path).code == .openFailed)
    }

    @Test func openingARegularFileFailsClearly() throws {
        let directory = try makeTemporaryDirectory()
        defer { removeTemporaryDirectory(directory) }
        let file = directory + "/not-a-db"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        for path in [file, file + "/db"] {
            var caught: StorageError?
            do throws(StorageError) { _ = try RocksDBStore(path: path) } catch { caught = error }
            let error = try #require(caught)
            #expect(error.code == .openFailed)
            #expect(error.path == path)
            #expect(error.description.contains("cannot open database \(path)"))
            #expect(error.message.contains("not a directory") || error.message.contains("Not a directory"))
        }
    }

    @Test func emptyOrNulPathsFailWithoutTrapping() {
        for path in ["", "/tmp/a\u{0}b"] {
            #expect(throws: StorageError.self) { _ = try RocksDBStore(path: path) }
        }
    }

    @Test func closeIsIdempotentAndLaterCallsThrowIO() throws {
        try withDatabasePath { path in
            let store = try RocksDBStore(path: path)
            try store.put(.metadata, [1], [1])
            let before = store.snapshot()
            #expect(try before.get(.metadata, [1]) == [1])
            store.close()
            store.close()
            #expect(store.isClosed)
            func expectClosed(_ body: () throws -> Void) {
                #expect {
                    try body()
                } throws: { ($0 as? StorageError)?.code == .io }
            }
            expectClosed { _ = try store.get(.metadata, [1]) }
            expectClosed { try store.put(.metadata, [2], [2]) }
            expectClosed { try store.iterate(.metadata) { _, _ in true } }
            expectClosed { _ = try before.get(.metadata, [1]) }
            expectClosed { try before.iterate(.metadata) { _, _ in true } }
            let after = store.snapshot()
            expectClosed { _ = try after.get(.metadata, [1]) }
            expectClosed { try after.iterate(.metadata) { _, _ in true } }
            // The lock is released: the path opens again while the old objects are still alive.
            let reopened = try RocksDBStore(path: path)
            #expect(try reopened.get(.metadata, [1]) == [1])
        }
    }

    /// `close()` from inside an iteration callback must not deadlock; it takes effect when iteration returns.
    @Test func closeFromInsideIterationIsDeferred() throws {
        try withDatabasePath { path in
            let store = try RocksDBStore(path: path)
            for i: UInt8 in 0..<3 { try store.put(.headers, [i], [i]) }
            var visited = 0
            var nestedCode: StorageError.Code?
            try store.iterate(.headers) { _, _ in
                visited += 1
                store.close()
                do throws(StorageError) { _ = try store.get(.headers, [0]) } catch { nestedCode = error.code }
                return true
            }
            #expect(visited == 3)  // the running iteration finishes on the still-open handles
            #expect(nestedCode == .io)
            let reopened = try RocksDBStore(path: path)
            #expect(try reopened.get(.headers, [2]) == [2])
        }
    }

    /// Snapshots keep the database alive after the store variable is gone and release cleanly.
    @Test func snapshotOutlivesStoreReference() throws {
        try withDatabasePath { path in
            var view: (any KeyValueReader)?
            do {
                let store = try RocksDBStore(path: path)
                try store.put(.bodies, [1], [1])
                view = store.snapshot()
                try store.put(.bodies, [1], [2])
            }
            #expect(try view?.get(.bodies, [1]) == [1])
            view = nil  // last reference: the snapshot, then the database, are released
            let store = try RocksDBStore(path: path)
            #expect(try store.get(.bodies, [1]) == [2])
        }
    }

    @Test func concurrentReadersAndWritersWithClose() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeTemporaryDirectory(directory) }
        let store = try RocksDBStore(path: directory + "/db")
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for i in 0..<2_000 {
                        let key = [UInt8(worker), UInt8(truncatingIfNeeded: i)]
                        do throws(StorageError) {
                            try store.put(.trieNodes, key, key)
                            _ = try store.get(.trieNodes, key)
                            _ = try store.snapshot().get(.trieNodes, key)
                        } catch {
                            #expect(error.code == .io)  // only "closed" may happen
                            return
                        }
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(20))
                store.close()
            }
        }
        #expect(store.isClosed)
    }

    @Test func optionKnobsOutOfRangeDoNotTrap() throws {
        try withDatabasePath { path in
            let odd = RocksDBOptions(blockCacheBytes: -1, bloomBitsPerKey: .nan, compression: .snappy,
                                     maxOpenFiles: -5, maxBackgroundJobs: -3,
                                     levelCompactionDynamicLevelBytes: false, writeBufferBytes: -1)
            let store = try RocksDBStore(path: path, options: odd)
            try store.put(.metadata, [1], [1])
            #expect(try store.get(.metadata, [1]) == [1])
        }
    }

    /// The memory figures move with what the database holds: a megabyte written sits in the write buffers until
    /// a flush, then in the block cache as it is read; a closed store refuses to answer rather than read freed handles.
    @Test func memoryUsageFollowsWrites() throws {
        try withDatabasePath { path in
            let store = try RocksDBStore(path: path)
            let before = try store.memoryUsage()
            var batch = WriteBatch()
            for index in 0..<4_000 { batch.put(.trieNodes, Array("node-\(index)".utf8), [UInt8](repeating: UInt8(index & 0xff), count: 256)) }
            try store.write(batch, sync: false)
            let after = try store.memoryUsage()
            #expect(after.memtables >= before.memtables + 1_000_000)
            store.close()
            #expect(throws: StorageError.self) { try store.memoryUsage() }
            // Reopening flushes the write-ahead log into a table file; reading it back goes through the block cache.
            let reopened = try RocksDBStore(path: path)
            #expect(try reopened.memoryUsage().memtables < after.memtables)
            for index in stride(from: 0, to: 4_000, by: 10) { _ = try reopened.get(.trieNodes, Array("node-\(index)".utf8)) }
            let cached = try reopened.memoryUsage().blockCache
            #expect(cached > 100_000)
            #expect(cached <= UInt64(RocksDBOptions().blockCacheBytes))
        }
    }
}
