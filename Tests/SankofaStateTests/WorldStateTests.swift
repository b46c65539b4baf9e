import SankofaPrimitives
import SankofaStorage
import SankofaTrie
import SankofaTestSupport
import Testing
@testable import SankofaState

@Suite("World state")
struct WorldStateTests {
    static let alice = Address(low: 0xA11CE)
    static let bob = Address(low: 0xB0B)
    static let contract = Address(low: 0x1001)

    static func slot(_ n: UInt64) -> Hash32 { Keccak256.hash(UInt256(n).bigEndianBytes) }

    /// Opens the state at the store's current snapshot root (or empty), like the node does at its head.
    static func open(_ store: MemoryStore, root: Hash32 = MerklePatriciaTrie.emptyRoot, snapshot: Bool = true) throws -> WorldState {
        try WorldState(reader: store, root: root, snapshot: snapshot)
    }

    @Test func writesCommitAndReadBackThroughTrieAndSnapshot() throws {
        let store = MemoryStore()
        // A fresh database has no snapshot yet; establish an empty one, as genesis does.
        try store.put(.metadata, Schema.snapshotRootKey, MerklePatriciaTrie.emptyRoot.bytes)
        let state = try Self.open(store)
        #expect(state.usesSnapshot)
        try state.addBalance(Self.alice, UInt256(1_000))
        try state.setNonce(Self.alice, 7)
        try state.setStorage(Self.contract, Self.slot(1), [0xc2, 0x01, 0x02])
        try state.setStorage(Self.contract, Self.slot(2), Array(repeating: 9, count: 100))
        try state.setAccount(Self.contract, Account(nonce: 1, balance: .zero, storageRoot: MerklePatriciaTrie.emptyRoot))
        let commit = try state.commit()
        try store.write(commit.batch, sync: true)
        #expect(commit.root != MerklePatriciaTrie.emptyRoot)

        for snapshot in [true, false] {
            let reopened = try Self.open(store, root: commit.root, snapshot: snapshot)
            #expect(reopened.usesSnapshot == snapshot)
            #expect(try reopened.balance(Self.alice) == UInt256(1_000))
            #expect(try reopened.nonce(Self.alice) == 7)
            #expect(try reopened.storage(Self.contract, Self.slot(1)) == [0xc2, 0x01, 0x02])
            #expect(try reopened.storage(Self.contract, Self.slot(2)) == Array(repeating: 9, count: 100))
            #expect(try reopened.storage(Self.contract, Self.slot(3)) == [])
            #expect(try reopened.account(Self.bob) == .empty)
            #expect(try reopened.account(Self.contract).storageRoot != MerklePatriciaTrie.emptyRoot)
        }
    }

    @Test func rootMatchesAnIndependentlyBuiltTrie() throws {
        let store = MemoryStore()
        let state = try Self.open(store, snapshot: false)
        try state.addBalance(Self.alice, UInt256(5))
        try state.setNonce(Self.bob, 1)
        let root = try state.commit().root
        // Built by hand: secure trie of address → rlp(account).
        var trie = SecureTrie(root: MerklePatriciaTrie.emptyRoot, reader: InMemoryTrieNodes())
        try trie.update(Self.alice.bytes, Account(nonce: 0, balance: UInt256(5)).rlpEncoded)
        try trie.update(Self.bob.bytes, Account(nonce: 1, balance: .zero).rlpEncoded)
        #expect(trie.rootHash() == root)
    }

    @Test func nestedCheckpointsRevertExactly() throws {
        let state = try Self.open(MemoryStore(), snapshot: false)
        try state.addBalance(Self.alice, UInt256(100))
        let outer = state.checkpoint()
        try state.subtractBalance(Self.alice, UInt256(30))
        try state.setStorage(Self.contract, Self.slot(1), [1])
        let inner = state.checkpoint()
        try state.addBalance(Self.bob, UInt256(30))
        try state.setStorage(Self.contract, Self.slot(1), [2])
        try state.setStorage(Self.contract, Self.slot(2), [3])

        try state.revert(to: inner)
        #expect(try state.balance(Self.alice) == UInt256(70))
        #expect(try state.balance(Self.bob) == .zero)
        #expect(try state.storage(Self.contract, Self.slot(1)) == [1])
        #expect(try state.storage(Self.contract, Self.slot(2)) == [])

        try state.revert(to: outer)
        #expect(try state.balance(Self.alice) == UInt256(100))
        #expect(try state.storage(Self.contract, Self.slot(1)) == [])
        #expect(state.journalLength == 1)

        // A reverted-then-committed state equals one that never made the changes.
        let root = try state.commit().root
        let clean = try Self.open(MemoryStore(), snapshot: false)
        try clean.addBalance(Self.alice, UInt256(100))
        #expect(try clean.commit().root == root)
        #expect(throws: StateError.staleCheckpoint) { try state.revert(to: outer) }
    }

    @Test func balanceRulesAreEnforced() throws {
        let state = try Self.open(MemoryStore(), snapshot: false)
        #expect(throws: StateError.insufficientBalance(Self.alice, have: .zero, need: .one)) {
            try state.subtractBalance(Self.alice, .one)
        }
        try state.addBalance(Self.alice, .max)
        #expect(throws: StateError.balanceOverflow(Self.alice)) { try state.addBalance(Self.alice, .one) }
    }

    @Test func rootIsIndependentOfWriteOrder() throws {
        var rng = SplitMix64(seed: 42)
        var operations: [(Address, Hash32, [UInt8])] = []
        for _ in 0..<300 {
            let address = Address(low: UInt32(rng.next() % 8) + 1)
            let value = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            operations.append((address, Self.slot(rng.next() % 20), value))
        }
        // Keep only the last write per slot so that every order yields the same final values.
        var final: [String: (Address, Hash32, [UInt8])] = [:]
        for op in operations { final["\(op.0)-\(op.1)"] = op }
        var roots: Set<Hash32> = []
        for round in 0..<3 {
            let state = try Self.open(MemoryStore(), snapshot: false)
            var ordered = Array(final.values)
            ordered.shuffle(using: &rng)
            if round == 0 { ordered.sort { ($0.0, $0.1) < ($1.0, $1.1) } }
            for (address, key, value) in ordered {
                try state.setStorage(address, key, value)
                try state.setNonce(address, 1)
            }
            roots.insert(try state.commit().root)
        }
        #expect(roots.count == 1)
    }

    @Test func historicalRootsStayReadable() throws {
        let store = MemoryStore()
        try store.put(.metadata, Schema.snapshotRootKey, MerklePatriciaTrie.emptyRoot.bytes)
        let state = try Self.open(store)
        var roots: [Hash32] = []
        for block in 1...5 {
            try state.addBalance(Self.alice, UInt256(UInt64(block)))
            try state.setStorage(Self.contract, Self.slot(0), [UInt8(block)])
            let commit = try state.commit()
            try store.write(commit.batch, sync: true)
            roots.append(commit.root)
        }
        for (index, root) in roots.enumerated() {
            let past = try Self.open(store, root: root)
            #expect(past.usesSnapshot == (index == roots.count - 1))
            let expected = (1...(index + 1)).reduce(0, +)
            #expect(try past.balance(Self.alice) == UInt256(UInt64(expected)))
            #expect(try past.storage(Self.contract, Self.slot(0)) == [UInt8(index + 1)])
        }
    }

    @Test func snapshotRebuildMatchesTrie() throws {
        let store = MemoryStore()
        let state = try Self.open(store, snapshot: false)
        for i in 1...20 {
            try state.addBalance(Address(low: UInt32(i)), UInt256(UInt64(i)))
            try state.setStorage(Self.contract, Self.slot(UInt64(i)), [UInt8(i)])
        }
        let commit = try state.commit()
        try store.write(commit.batch, sync: true)
        let reopened = try Self.open(store, root: commit.root, snapshot: true)
        #expect(!reopened.usesSnapshot)
        try reopened.rebuildSnapshot(into: store)
        let flat = try Self.open(store, root: commit.root, snapshot: true)
        #expect(flat.usesSnapshot)
        for i in 1...20 {
            #expect(try flat.balance(Address(low: UInt32(i))) == UInt256(UInt64(i)))
            #expect(try flat.storage(Self.contract, Self.slot(UInt64(i))) == [UInt8(i)])
        }
    }
}


@Suite("State proofs")
struct StateProofTests {
    @Test func accountAndStorageProofsVerifyAgainstTheRootAlone() throws {
        let store = MemoryStore()
        let state = try WorldState(reader: store, root: MerklePatriciaTrie.emptyRoot, snapshot: false)
        let contract = Address(low: 0x1001)
        for i in 0..<50 as Range<UInt64> {
            try state.addBalance(Address(low: UInt32(i + 1)), UInt256(i + 1))
            try state.setStorage(contract, WorldStateTests.slot(i), Array(repeating: UInt8(i), count: Int(i % 50) + 1))
        }
        try state.setNonce(contract, 1)
        let commit = try state.commit()
        try store.write(commit.batch, sync: false)

        let slots = [WorldStateTests.slot(3), WorldStateTests.slot(49), WorldStateTests.slot(999)]
        let proof = try state.proof(contract, slots: slots)
        #expect(try proof.verify(stateRoot: commit.root))
        #expect(proof.storageProofs[0].value == [3, 3, 3, 3])
        #expect(proof.storageProofs[2].value.isEmpty)  // absent slot, proven absent

        // A missing account is proven absent.
        let missing = try state.proof(Address(low: 0xdead), slots: [])
        #expect(missing.account == .empty)
        #expect(try missing.verify(stateRoot: commit.root))

        // Claims that differ from what the proof proves are refused.
        let inflated = AccountProof(address: contract, accountProof: proof.accountProof,
                                    account: Account(nonce: 2, balance: .zero, storageRoot: proof.account.storageRoot),
                                    storageProofs: [])
        #expect(try !inflated.verify(stateRoot: commit.root))
        let wrongValue = AccountProof(address: contract, accountProof: proof.accountProof, account: proof.account,
                                      storageProofs: [.init(key: slots[0], value: [9], proof: proof.storageProofs[0].proof)])
        #expect(try !wrongValue.verify(stateRoot: commit.root))
        #expect((try? proof.verify(stateRoot: Keccak256.hash([1] as [UInt8]))) != true)
    }

    /// What a light client believes: values read out of bare proof paths, never a server's claim.
    @Test func provingFromBarePathsReadsTheValuesAndRefusesAlteredPaths() throws {
        let store = MemoryStore()
        let state = try WorldState(reader: store, root: MerklePatriciaTrie.emptyRoot, snapshot: false)
        let contract = Address(low: 0x1001)
        for i in 0..<40 as Range<UInt64> {
            try state.addBalance(Address(low: UInt32(i + 1)), UInt256(i + 1))
            try state.setStorage(contract, WorldStateTests.slot(i), Array(repeating: UInt8(i + 1), count: Int(i % 40) + 1))
        }
        try state.setNonce(contract, 5)
        let commit = try state.commit()
        try store.write(commit.batch, sync: false)
        let slots = [WorldStateTests.slot(7), WorldStateTests.slot(999)]
        let served = try state.proof(contract, slots: slots)

        let proven = try AccountProof(proving: contract, accountPath: served.accountProof, slots: slots,
                                      slotPaths: served.storageProofs.map(\.proof), stateRoot: commit.root)
        #expect(proven == served)
        #expect(proven.account.nonce == 5)
        #expect(proven.storageProofs[0].value == Array(repeating: 8, count: 8))
        #expect(proven.storageProofs[1].value.isEmpty)

        // One flipped bit anywhere in a path, a path for another key, or another root: refused, not misread.
        var altered = served.accountProof
        altered[altered.count - 1][altered[altered.count - 1].count - 1] ^= 1
        #expect(throws: (any Error).self) {
            try AccountProof(proving: contract, accountPath: altered, slots: [], slotPaths: [], stateRoot: commit.root)
        }
        var alteredSlot = served.storageProofs[0].proof
        alteredSlot[alteredSlot.count - 1][3] ^= 1
        #expect(throws: (any Error).self) {
            try AccountProof(proving: contract, accountPath: served.accountProof, slots: [slots[0]], slotPaths: [alteredSlot],
                             stateRoot: commit.root)
        }
        let other = try state.proof(Address(low: 3), slots: [])
        let misread = try? AccountProof(proving: contract, accountPath: other.accountProof, slots: [], slotPaths: [],
                                        stateRoot: commit.root)
        #expect(misread?.account != served.account, "another account's path must not prove this account")
        #expect(throws: (any Error).self) {
            try AccountProof(proving: contract, accountPath: served.accountProof, slots: slots, slotPaths: [],
                             stateRoot: commit.root)
        }
        #expect(throws: (any Error).self) {
            try AccountProof(proving: contract, accountPath: served.accountProof, slots: [], slotPaths: [],
                             stateRoot: Keccak256.hash([1] as [UInt8]))
        }
    }
}
