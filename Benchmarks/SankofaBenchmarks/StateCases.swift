import CRocksDB
import Foundation
import SankofaPrimitives
import SankofaState
@_spi(Benchmarks) import SankofaStorage
import SankofaTrie

/// Issue 3's paths: trie building and proofs, latest-state reads (flat snapshot against trie), and the write of a
/// block's worth of state against raw RocksDB puts of the same bytes.
enum StateCases {
    static func all() -> [BenchmarkCase] {
        var rng = SystemRandomNumberGenerator()
        func randomBytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        let account = Account(nonce: 5, balance: UInt256(1_000_000), storageRoot: MerklePatriciaTrie.emptyRoot).rlpEncoded
        let keys100k = (0..<100_000).map { _ in randomBytes(32) }
        let keys10k = Array(keys100k.prefix(10_000))

        var proofTrie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        for key in keys10k { try? proofTrie.update(key, account) }
        let proofRoot = proofTrie.commit().root
        let proofs = keys10k.prefix(1_000).map { try! proofTrie.proof($0) }

        // A block's ordered trie: rlp(index) → a 150-byte transaction, 5,000 of them, in key order.
        let indexKeys = (0..<5_000).map { index in
            var key = RLPWriter(capacity: 9)
            key.write(UInt64(index))
            return key.bytes
        }.sorted { $0.lexicographicallyPrecedes($1) }
        let items = indexKeys.map { _ in randomBytes(150) }

        let directory = Harness.scratchDirectory("state-bench")
        let fixture = try! StateFixture(path: directory, accounts: 10_000)

        return [
            BenchmarkCase(name: "trie/insert+commit-10k", bytesPerOp: 0, itemsPerOp: 10_000, baseline: "keccak/32B") { n in
                for _ in 0..<n { blackHole(build(keys10k, value: account)) }
            },
            BenchmarkCase(name: "trie/insert+commit-100k", bytesPerOp: 0, itemsPerOp: 100_000, baseline: "keccak/32B") { n in
                for _ in 0..<n { blackHole(build(keys100k, value: account)) }
            },
            BenchmarkCase(name: "trie/ordered-root-5k-general", bytesPerOp: 0, itemsPerOp: 5_000, baseline: nil) { n in
                for _ in 0..<n {
                    var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
                    for (key, item) in zip(indexKeys, items) { try? trie.update(key, item) }
                    blackHole(trie.rootHash())
                }
            },
            BenchmarkCase(name: "trie/ordered-root-5k-sorted", bytesPerOp: 0, itemsPerOp: 5_000,
                          baseline: "trie/ordered-root-5k-general") { n in
                for _ in 0..<n { blackHole(SortedTrieRoot.root(keys: indexKeys, values: items)) }
            },
            BenchmarkCase(name: "trie/proof-generate", bytesPerOp: 0, itemsPerOp: 1_000, baseline: nil) { n in
                var trie = proofTrie
                for _ in 0..<n { for key in keys10k.prefix(1_000) { blackHole(try? trie.proof(key)) } }
            },
            BenchmarkCase(name: "trie/proof-verify", bytesPerOp: 0, itemsPerOp: 1_000, baseline: nil) { n in
                for _ in 0..<n {
                    for (key, proof) in zip(keys10k, proofs) {
                        blackHole(try? MerklePatriciaTrie.verifyProof(root: proofRoot, key: key, proof: proof))
                    }
                }
            },
            BenchmarkCase(name: "state/read-trie", bytesPerOp: 0, itemsPerOp: 10_000, baseline: nil) { n in
                for _ in 0..<n { fixture.readAll(snapshot: false) }
            },
            BenchmarkCase(name: "state/read-flat", bytesPerOp: 0, itemsPerOp: 10_000, baseline: "state/read-trie") { n in
                for _ in 0..<n { fixture.readAll(snapshot: true) }
            },
            BenchmarkCase(name: "rocksdb/raw-puts-block", bytesPerOp: 0, itemsPerOp: 1_000, baseline: nil) { n in
                for _ in 0..<n { fixture.writeRaw() }
            },
            BenchmarkCase(name: "rocksdb/state-batch-block", bytesPerOp: 0, itemsPerOp: 1_000,
                          baseline: "rocksdb/raw-puts-block") { n in
                for _ in 0..<n { fixture.writeBatch() }
            },
            BenchmarkCase(name: "state/apply+commit+write-block", bytesPerOp: 0, itemsPerOp: 1_000,
                          baseline: "rocksdb/raw-puts-block") { n in
                for _ in 0..<n { fixture.executeBlock() }
            },
        ]
    }

    static func build(_ keys: [[UInt8]], value: [UInt8]) -> Hash32 {
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        for key in keys { try? trie.update(key, value) }
        return trie.commit().root
    }
}

/// A RocksDB database with `accounts` funded accounts and a snapshot at their root, plus the state writes of a
/// typical 1,000-transaction block (1,000 accounts debited, 1,000 contract slots written) prepared as a batch.
final class StateFixture {
    let store: RocksDBStore
    let addresses: [Address]
    var root: Hash32
    var block: UInt64 = 0
    var blockBatch = WriteBatch()

    init(path: String, accounts: Int) throws {
        store = try RocksDBStore(path: path)
        addresses = (0..<accounts).map { Address(low: UInt32($0 + 1)) }
        try store.put(.metadata, Schema.snapshotRootKey, MerklePatriciaTrie.emptyRoot.bytes)
        let state = try WorldState(reader: store, root: MerklePatriciaTrie.emptyRoot, snapshot: true)
        for address in addresses { try state.addBalance(address, UInt256(1_000_000)) }
        let commit = try state.commit()
        try store.write(commit.batch, sync: true)
        root = commit.root
        blockBatch = try prepareBlock().batch
    }

    /// Applies one block's worth of changes on top of the current root and commits it (not written).
    func prepareBlock() throws -> StateCommit {
        let state = try WorldState(reader: store, root: root, snapshot: true)
        block += 1
        for (i, address) in addresses.prefix(1_000).enumerated() {
            try state.subtractBalance(address, .one)
            try state.setNonce(address, block)
            try state.setStorage(Address(low: 0x1001), Keccak256.hash(UInt256(UInt64(i) &+ block &* 1_000).bigEndianBytes),
                                 Array(repeating: UInt8(truncatingIfNeeded: i), count: 64))
        }
        return try state.commit()
    }

    func readAll(snapshot: Bool) {
        guard let state = try? WorldState(reader: store, root: root, snapshot: snapshot) else { return }
        for address in addresses { blackHole(try? state.balance(address)) }
    }

    func writeBatch() { try? store.write(blockBatch, sync: true) }

    func executeBlock() {
        guard let commit = try? prepareBlock() else { return }
        try? store.write(commit.batch, sync: true)
        root = commit.root
    }

    /// The same operations through RocksDB's C API directly: the floor for writing a block.
    func writeRaw() {
        store.withRawHandles { db, families in
            let batch = rocksdb_writebatch_create()
            defer { rocksdb_writebatch_destroy(batch) }
            for operation in blockBatch.operations {
                if case .put(let column, let key, let value) = operation {
                    rocksdb_writebatch_put_cf(batch, families[column], key, key.count, value, value.count)
                }
            }
            let options = rocksdb_writeoptions_create()
            defer { rocksdb_writeoptions_destroy(options) }
            rocksdb_writeoptions_set_sync(options, 1)
            var error: UnsafeMutablePointer<CChar>?
            rocksdb_write(db, options, batch, &error)
            if let error { rocksdb_free(error) }
        }
    }
}
