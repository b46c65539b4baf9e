import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaPrimitives
import Testing
@testable import SankofaClique

/// Snapshot values, their stored form, and when the engine persists and reloads them.
@Suite("Clique snapshots")
struct SnapshotTests {
    static func sample() -> Snapshot {
        let (a, b, c, d) = (TestSigners.address("A"), TestSigners.address("B"), TestSigners.address("C"), TestSigners.address("D"))
        return Snapshot(number: 41, hash: Keccak256.hash([41] as [UInt8]), signers: [c, a, b],
                        recents: [40: a, 41: b],
                        votes: [Snapshot.Vote(signer: a, block: 39, address: d, authorize: true),
                                Snapshot.Vote(signer: b, block: 40, address: c, authorize: false)],
                        tally: [d: Snapshot.Tally(authorize: true, votes: 1), c: Snapshot.Tally(authorize: false, votes: 1)])
    }

    @Test func rlpRoundTrip() throws {
        let snap = Self.sample()
        #expect(snap.signers == TestSigners.addresses(["A", "B", "C"]))
        let bytes = snap.rlpEncoded
        #expect(try Snapshot(rlp: bytes) == snap)
        #expect(Snapshot(number: 0, hash: .zero, signers: []).rlpEncoded == (try Snapshot(rlp: Snapshot(number: 0, hash: .zero, signers: []).rlpEncoded)).rlpEncoded)
        #expect(throws: RLPError.self) { try Snapshot(rlp: Array(bytes.dropLast())) }
        #expect(throws: RLPError.self) { try Snapshot(rlp: bytes + [0x80]) }
    }

    @Test func turnsAndWindow() {
        let snap = Self.sample()
        for (index, signer) in snap.signers.enumerated() {
            #expect(snap.isInTurn(UInt64(index) + 3, signer: signer))
            #expect(!snap.isInTurn(UInt64(index) + 4, signer: signer))
        }
        #expect(snap.recentsLimit == 2)
        #expect(snap.signedRecently(TestSigners.address("B"), before: 42))
        #expect(!snap.signedRecently(TestSigners.address("A"), before: 42))  // 40 + 2 > 42 is false
        #expect(!Snapshot(number: 0, hash: .zero, signers: []).isInTurn(0, signer: .zero))  // no signers, no trap
    }

    @Test func snapshotsArePersistedAtCheckpointsAndReloaded() throws {
        let store = InMemoryCliqueSnapshotStore()
        var f = CliqueFixture(epoch: 5, store: store)
        var headers: [BlockHeader] = []
        for number in 1...12 {
            try f.extend(by: [CliqueSealingTests.label(inTurnFor: UInt64(number))])
            headers.append(f.head)
        }
        let byNumber = Dictionary(uniqueKeysWithValues: ([f.genesis] + headers).map { ($0.number, $0) })
        let saved = store.savedHashes
        for number: UInt64 in [0, 5, 10] {
            let header = try #require(byNumber[number])
            #expect(saved.contains(header.hash), "block \(number)")
        }
        #expect(saved.count == 3)
        let checkpoint = try #require(byNumber[10])
        let stored = try #require(try store.load(checkpoint.hash))
        let expected = try f.engine.snapshot(at: checkpoint.hash, chain: f.chain)
        #expect(try Snapshot(rlp: stored) == expected)
        #expect(expected.recents.count == 2)  // the window survives the checkpoint

        // A restarted node whose chain lacks blocks 0…9 rebuilds from the stored snapshot at 10.
        for header in [f.genesis] + headers.prefix(9) { f.chain.remove(header) }
        let restarted = CliqueEngine(config: f.engine.config, store: store, clock: { .max })
        #expect(try restarted.snapshot(at: f.head.hash, chain: f.chain) == (try f.engine.snapshot(at: f.head.hash, chain: f.chain)))
        // Without the store it cannot (block 9 is the predecessor of checkpoint 10 and is gone, so 10 is trusted).
        let synced = CliqueEngine(config: f.engine.config, store: InMemoryCliqueSnapshotStore(), clock: { .max })
        let trusted = try synced.snapshot(at: f.head.hash, chain: f.chain)
        #expect(trusted.signers == TestSigners.addresses(["A", "B", "C"]))
        #expect(trusted.recents.count == 2)  // rebuilt from 10 with blocks 11 and 12
    }

    @Test func corruptStoredSnapshotIsAStorageError() throws {
        let store = InMemoryCliqueSnapshotStore()
        let f = CliqueFixture(store: store)
        try store.save(f.genesis.hash, [0xc1, 0x01])
        #expect { try f.engine.snapshot(at: f.genesis, chain: f.chain) } throws: { error in
            if case .storage = error as? ConsensusError { true } else { false }
        }
    }

    @Test func snapshotsArePersistedEvery1024Blocks() throws {
        let store = InMemoryCliqueSnapshotStore()
        var f = CliqueFixture(signers: ["A"], store: store)
        for _ in 1...1025 { try f.extend(by: ["A"]) }
        let block1024 = try #require(try f.chain.canonicalHeader(1024))
        #expect(store.savedHashes == [f.genesis.hash, block1024.hash])
    }

    @Test func lruCacheEvictsTheLeastRecentlyUsed() {
        let cache = LRUCache<Int, String>(capacity: 3)
        for i in 0..<3 { cache.insert("\(i)", for: i) }
        #expect(cache.value(for: 0) == "0")  // 0 is now the most recent; 1 the least
        cache.insert("3", for: 3)
        #expect(cache.value(for: 1) == nil)
        #expect(cache.value(for: 0) == "0")
        #expect(cache.value(for: 2) == "2")
        #expect(cache.value(for: 3) == "3")
        cache.insert("three", for: 3)
        #expect(cache.count == 3)
        #expect(cache.value(for: 3) == "three")
        for i in 10..<20 { cache.insert("\(i)", for: i) }
        #expect(cache.count == 3)
        #expect(cache.value(for: 19) == "19" && cache.value(for: 17) == "17" && cache.value(for: 16) == nil)
    }
}
