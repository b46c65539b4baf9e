import Foundation
import SankofaStorage
import SankofaTestSupport
import Testing

/// The backends every conformance test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case rocksdb

    var testDescription: String { rawValue }
}

/// A fresh, empty directory under the system temp dir, removed by `removeTemporaryDirectory`.
func makeTemporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("sankofa-storage-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

func removeTemporaryDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// Runs `body` with a fresh store of the given kind (RocksDB in its own temp dir, deleted afterwards).
func withStore(_ kind: StoreKind, _ body: (any KeyValueStore) throws -> Void) throws {
    switch kind {
    case .memory:
        try body(MemoryStore())
    case .rocksdb:
        let directory = try makeTemporaryDirectory()
        defer { removeTemporaryDirectory(directory) }
        let store = try RocksDBStore(path: directory + "/db", options: .init(blockCacheBytes: 8 << 20))
        defer { store.close() }
        try body(store)
    }
}

/// Everything under `prefix` (from `start`) as (key, value) pairs, in iteration order.
func collect(_ reader: any KeyValueReader, _ column: Column, prefix: [UInt8] = [], start: [UInt8]? = nil,
             limit: Int = .max) throws -> [([UInt8], [UInt8])] {
    var entries: [([UInt8], [UInt8])] = []
    try reader.iterate(column, prefix: prefix, start: start) { key, value in
        entries.append((key, value))
        return entries.count < limit
    }
    return entries
}

func keys(_ entries: [([UInt8], [UInt8])]) -> [[UInt8]] { entries.map(\.0) }

@Suite("KeyValueStore conformance")
struct KeyValueStoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func putGetDelete(kind: StoreKind) throws {
        try withStore(kind) { store in
            try store.put(.headers, [1, 2, 3], [9, 9])
            #expect(try store.get(.headers, [1, 2, 3]) == [9, 9])
            #expect(try store.contains(.headers, [1, 2, 3]))
            try store.put(.headers, [1, 2, 3], [7])
            #expect(try store.get(.headers, [1, 2, 3]) == [7])
            try store.delete(.headers, [1, 2, 3])
            #expect(try store.get(.headers, [1, 2, 3]) == nil)
            try store.delete(.headers, [4, 5, 6])  // deleting an absent key is not an error
        }
    }

    @Test(arguments: StoreKind.allCases)
    func missingKeyIsNilAndEmptyValueIsPresent(kind: StoreKind) throws {
        try withStore(kind) { store in
            #expect(try store.get(.metadata, Array("absent".utf8)) == nil)
            #expect(try !store.contains(.metadata, Array("absent".utf8)))
            try store.put(.metadata, Array("empty".utf8), [])
            #expect(try store.get(.metadata, Array("empty".utf8)) == [])
            #expect(try store.contains(.metadata, Array("empty".utf8)))
            try store.put(.metadata, [], [42])  // the empty key is a key like any other
            #expect(try store.get(.metadata, []) == [42])
            #expect(keys(try collect(store, .metadata)) == [[], Array("empty".utf8)])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func laterOperationInABatchWins(kind: StoreKind) throws {
        try withStore(kind) { store in
            try store.put(.bodies, [5], [0])
            var batch = WriteBatch()
            batch.put(.bodies, [1], [1])
            batch.put(.bodies, [1], [2])        // put, put → last value
            batch.put(.bodies, [2], [1])
            batch.delete(.bodies, [2])          // put, delete → absent
            batch.delete(.bodies, [3])
            batch.put(.bodies, [3], [3])        // delete, put → present
            batch.delete(.bodies, [5])
            batch.put(.bodies, [5], [5])
            batch.delete(.bodies, [5])          // existing key: delete, put, delete → absent
            try store.write(batch, sync: true)
            #expect(try store.get(.bodies, [1]) == [2])
            #expect(try store.get(.bodies, [2]) == nil)
            #expect(try store.get(.bodies, [3]) == [3])
            #expect(try store.get(.bodies, [5]) == nil)
            #expect(keys(try collect(store, .bodies)) == [[1], [3]])
            try store.write(WriteBatch(), sync: false)  // an empty batch is a no-op
        }
    }

    /// Many keys in one batch must also resolve "later wins" (MemoryStore merges large batches differently).
    @Test(arguments: StoreKind.allCases)
    func laterOperationWinsInALargeBatch(kind: StoreKind) throws {
        try withStore(kind) { store in
            for i in 0..<100 { try store.put(.receipts, [UInt8(i)], [0]) }
            var batch = WriteBatch()
            for i in stride(from: 0, to: 200, by: 1) { batch.put(.receipts, [UInt8(i)], [1]) }
            for i in stride(from: 0, to: 200, by: 2) { batch.delete(.receipts, [UInt8(i)]) }
            for i in stride(from: 0, to: 200, by: 4) { batch.put(.receipts, [UInt8(i)], [2]) }
            try store.write(batch, sync: false)
            let entries = try collect(store, .receipts)
            var expected: [([UInt8], [UInt8])] = []
            for i in 0..<200 where i % 4 == 0 || i % 2 == 1 {
                let value: UInt8 = i % 4 == 0 ? 2 : 1
                expected.append(([UInt8(i)], [value]))
            }
            #expect(keys(entries) == keys(expected))
            #expect(entries.map(\.1) == expected.map(\.1))
        }
    }

    /// A batch spanning columns is seen whole or not at all by a concurrent reader's snapshots.
    @Test(arguments: StoreKind.allCases)
    func batchIsAtomicToConcurrentReaders(kind: StoreKind) throws {
        try withStore(kind) { store in
            let rounds = 300
            let writer = Thread {
                for round in 1...rounds {
                    var batch = WriteBatch()
                    let value = withUnsafeBytes(of: UInt32(round).bigEndian, Array.init)
                    batch.put(.headers, [1], value)
                    batch.put(.bodies, [1], value)
                    batch.put(.canonical, Array(repeating: 7, count: 40), value)
                    try? store.write(batch, sync: false)
                }
            }
            writer.start()
            var last: [UInt8]? = nil
            var torn = 0
            for _ in 0..<2000 {
                let view = store.snapshot()
                let a = try view.get(.headers, [1])
                let b = try view.get(.bodies, [1])
                let c = try view.get(.canonical, Array(repeating: 7, count: 40))
                if a != b || b != c { torn += 1 }
                last = a
                if last == withUnsafeBytes(of: UInt32(rounds).bigEndian, Array.init) { break }
            }
            #expect(torn == 0)
            while !writer.isFinished { usleep(1000) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func columnsAreIndependent(kind: StoreKind) throws {
        try withStore(kind) { store in
            for column in Column.allCases {
                try store.put(column, [0xaa], Array(column.rawValue.utf8))
            }
            for column in Column.allCases {
                #expect(try store.get(column, [0xaa]) == Array(column.rawValue.utf8))
                #expect(keys(try collect(store, column)) == [[0xaa]])
            }
            try store.delete(.trieNodes, [0xaa])
            #expect(try store.get(.trieNodes, [0xaa]) == nil)
            #expect(try store.get(.snapshotAccounts, [0xaa]) == Array("snapshotAccounts".utf8))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func orderedPrefixIterationWithStartAndEarlyStop(kind: StoreKind) throws {
        try withStore(kind) { store in
            var batch = WriteBatch()
            for key: [UInt8] in [[2, 9], [1, 3], [1], [1, 1], [0, 5], [1, 2, 0], [1, 0xff], [2]] {
                batch.put(.canonical, key, key + [0x77])
            }
            try store.write(batch, sync: false)

            let all = try collect(store, .canonical)
            #expect(keys(all) == [[0, 5], [1], [1, 1], [1, 2, 0], [1, 3], [1, 0xff], [2], [2, 9]])
            #expect(all.allSatisfy { $0.1 == $0.0 + [0x77] })

            #expect(keys(try collect(store, .canonical, prefix: [1]))
                == [[1], [1, 1], [1, 2, 0], [1, 3], [1, 0xff]])
            #expect(keys(try collect(store, .canonical, prefix: [1], start: [1, 2]))
                == [[1, 2, 0], [1, 3], [1, 0xff]])
            // A start before the prefix is the prefix; a start past it yields nothing.
            #expect(keys(try collect(store, .canonical, prefix: [1], start: [0, 9])).count == 5)
            #expect(keys(try collect(store, .canonical, prefix: [1], start: [2])).isEmpty)
            // Without a prefix, start alone positions the scan.
            #expect(keys(try collect(store, .canonical, start: [1, 3])) == [[1, 3], [1, 0xff], [2], [2, 9]])
            #expect(keys(try collect(store, .canonical, prefix: [1], limit: 2)) == [[1], [1, 1]])
            #expect(try collect(store, .canonical, prefix: [3]).isEmpty)
            #expect(try collect(store, .headers).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func iterationPropagatesErrorsAndAllowsReentrantUse(kind: StoreKind) throws {
        struct Stop: Error {}
        try withStore(kind) { store in
            for i: UInt8 in 0..<5 { try store.put(.trieNodes, [i], [i]) }
            #expect(throws: Stop.self) {
                try store.iterate(.trieNodes) { key, _ in
                    if key == [2] { throw Stop() }
                    return true
                }
            }
            // The callback may read and write the store it iterates.
            var seen = 0
            try store.iterate(.trieNodes) { key, value in
                seen += 1
                #expect(try store.get(.trieNodes, key) == value)
                try store.put(.snapshotStorage, key, value)
                return true
            }
            #expect(seen == 5)
            #expect(try collect(store, .snapshotStorage).count == 5)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func binaryKeysWithZeroAndFFBytes(kind: StoreKind) throws {
        try withStore(kind) { store in
            let keyList: [[UInt8]] = [[0x00], [0x00, 0x00], [0x00, 0xff], [0xff], [0xff, 0x00], [0xff, 0xff],
                                      [0xff, 0xff, 0xff], [0x7f, 0x80], [0x80]]
            var batch = WriteBatch()
            for key in keyList { batch.put(.snapshotStorage, key, key.reversed() + [0x00]) }
            try store.write(batch, sync: false)
            for key in keyList { #expect(try store.get(.snapshotStorage, key) == key.reversed() + [0x00]) }
            #expect(try store.get(.snapshotStorage, [0x00, 0x00, 0x00]) == nil)
            // Unsigned byte order: 0x80 sorts after 0x7f.
            #expect(keys(try collect(store, .snapshotStorage)) == [[0x00], [0x00, 0x00], [0x00, 0xff], [0x7f, 0x80],
                                                                   [0x80], [0xff], [0xff, 0x00], [0xff, 0xff],
                                                                   [0xff, 0xff, 0xff]])
            #expect(keys(try collect(store, .snapshotStorage, prefix: [0x00])) == [[0x00], [0x00, 0x00], [0x00, 0xff]])
            // All-0xff prefixes have no successor key; iteration must still end at the prefix's end.
            #expect(keys(try collect(store, .snapshotStorage, prefix: [0xff]))
                == [[0xff], [0xff, 0x00], [0xff, 0xff], [0xff, 0xff, 0xff]])
            #expect(keys(try collect(store, .snapshotStorage, prefix: [0xff, 0xff]))
                == [[0xff, 0xff], [0xff, 0xff, 0xff]])
            #expect(keys(try collect(store, .snapshotStorage, prefix: [0x00], start: [0x00, 0x00, 0x00]))
                == [[0x00, 0xff]])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func snapshotIsolation(kind: StoreKind) throws {
        try withStore(kind) { store in
            try store.put(.snapshotAccounts, [1], [1])
            try store.put(.snapshotAccounts, [2], [2])
            let view = store.snapshot()
            try store.put(.snapshotAccounts, [1], [10])
            try store.delete(.snapshotAccounts, [2])
            try store.put(.snapshotAccounts, [3], [3])
            try store.put(.headers, [1], [1])

            #expect(try view.get(.snapshotAccounts, [1]) == [1])
            #expect(try view.get(.snapshotAccounts, [2]) == [2])
            #expect(try view.get(.snapshotAccounts, [3]) == nil)
            #expect(try view.get(.headers, [1]) == nil)
            #expect(try collect(view, .snapshotAccounts).map { $0.0 + $0.1 } == [[1, 1], [2, 2]])
            #expect(try collect(store, .snapshotAccounts).map { $0.0 + $0.1 } == [[1, 10], [3, 3]])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func largeValues(kind: StoreKind) throws {
        try withStore(kind) { store in
            let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            try store.put(.bodies, [0xbb], big)
            #expect(try store.get(.bodies, [0xbb]) == big)
            let entries = try collect(store, .bodies)
            #expect(entries.count == 1 && entries[0].1 == big)
            let bigKey = Array(big.prefix(64 << 10))
            try store.put(.bodies, bigKey, [1])
            #expect(try store.get(.bodies, bigKey) == [1])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func tenThousandKeyBatch(kind: StoreKind) throws {
        try withStore(kind) { store in
            var batch = WriteBatch()
            var generator = SplitMix64(seed: 0x5a4b)
            var expected: [[UInt8]: [UInt8]] = [:]
            for i in 0..<10_000 {
                let key = (0..<32).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let value = withUnsafeBytes(of: UInt64(i).bigEndian, Array.init)
                batch.put(.trieNodes, key, value)
                expected[key] = value
            }
            try store.write(batch, sync: true)
            for (key, value) in expected { #expect(try store.get(.trieNodes, key) == value) }
            let entries = try collect(store, .trieNodes)
            #expect(entries.count == expected.count)
            #expect(keys(entries) == expected.keys.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }
}

