import Foundation
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaTrie

/// Random insert/delete sequences checked against a Dictionary model (seeded, so failures reproduce).
@Suite("Trie properties")
struct TriePropertyTests {
    enum KeyShape: CaseIterable { case short, hashed }

    /// Short keys from a tiny alphabet collide and share prefixes (branch values, extension splits, collapses);
    /// 32-byte random keys look like the secure tries of Ethereum state.
    static func randomKey(_ rng: inout SplitMix64, _ shape: KeyShape, pool: [[UInt8]]) -> [UInt8] {
        if !pool.isEmpty && rng.next() % 3 == 0 { return pool[Int(rng.next() % UInt64(pool.count))] }
        switch shape {
        case .short:
            let alphabet: [UInt8] = [0x00, 0x01, 0x10, 0x12, 0x21, 0xab, 0xff]
            return (0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        case .hashed:
            return rng.bytes(32)
        }
    }

    /// Values from 1 to 60 bytes, so leaves are both embedded (< 32 bytes) and stored by hash.
    static func randomValue(_ rng: inout SplitMix64) -> [UInt8] { rng.bytes(1 + Int(rng.next() % 60)) }

    @Test(arguments: [(11, KeyShape.short), (12, .short), (13, .hashed), (14, .hashed), (15, .short)] as [(UInt64, KeyShape)])
    func randomOperationsMatchDictionary(seed: UInt64, shape: KeyShape) throws {
        var rng = SplitMix64(seed: seed)
        let store = InMemoryTrieNodes()
        var model: [[UInt8]: [UInt8]] = [:]
        var trie = MerklePatriciaTrie(reader: store)
        var committedRoot = MerklePatriciaTrie.emptyRoot

        for step in 0..<1500 {
            let key = Self.randomKey(&rng, shape, pool: Array(model.keys))
            switch rng.next() % 10 {
            case 0..<6:
                let value = Self.randomValue(&rng)
                try trie.update(key, value)
                model[key] = value
            case 6..<8:
                try trie.delete(key)
                model[key] = nil
            case 8:
                try trie.update(key, [])  // an empty value deletes
                model[key] = nil
            default:
                try trie.delete(rng.bytes(7))  // almost certainly absent
            }
            #expect(try trie.get(key) == model[key], "seed \(seed) step \(step) key \(key.hexString)")

            if step % 97 == 0 {
                // Commit, store, and continue on a trie reopened from the store alone.
                let committed = trie.commit()
                store.insert(committed.nodes)
                committedRoot = committed.root
                trie = MerklePatriciaTrie(root: committedRoot, reader: store)
            } else if step % 41 == 0 {
                _ = trie.rootHash()  // hashing without committing must not lose nodes from the next commit
            }
        }

        for (key, value) in model { #expect(try trie.get(key) == value, "seed \(seed) final get") }
        let committed = trie.commit()
        store.insert(committed.nodes)

        // Same root from a fresh trie built from the final contents in another order.
        let entries = model.map { ($0.key, $0.value) }.shuffled(using: &rng)
        #expect(try buildTrie(entries) == committed.root, "seed \(seed) root vs fresh build")
        #expect(try buildTrie(entries.sorted { $0.0.lexicographicallyPrecedes($1.0) }) == committed.root)

        // Everything reads back from (root, committed nodes), and iteration yields the sorted model.
        var reopened = MerklePatriciaTrie(root: committed.root, reader: store)
        for (key, value) in model { #expect(try reopened.get(key) == value, "seed \(seed) reopened get") }
        let listed = try allEntries(&reopened)
        #expect(listed.map(\.0) == model.keys.sorted(by: [UInt8].byteOrder))
        #expect(listed.allSatisfy { model[$0.0] == $0.1 })
        _ = try reachableNodes(root: committed.root, store: store)

        // Nothing changed: nothing to commit, same root.
        let again = trie.commit()
        #expect(again.nodes.isEmpty && again.root == committed.root)
        #expect(reopened.commit().nodes.isEmpty)
    }

    /// Every commit hands out exactly the nodes needed: a store built only from commit outputs can serve
    /// every root ever committed, each node's hash matches its encoding, and a commit after a single update
    /// returns only the nodes on that key's path.
    @Test func commitReturnsOnlyNewNodes() throws {
        var rng = SplitMix64(seed: 21)
        let store = InMemoryTrieNodes()
        var trie = MerklePatriciaTrie(reader: store)
        var roots: [(Hash32, [[UInt8]: [UInt8]])] = []
        var model: [[UInt8]: [UInt8]] = [:]
        for round in 0..<12 {
            for _ in 0..<(round == 0 ? 400 : 25) {
                let key = rng.bytes(32)
                let value = Self.randomValue(&rng)
                try trie.update(key, value)
                model[key] = value
            }
            if round % 3 == 2, let victim = model.keys.first {
                try trie.delete(victim)
                model[victim] = nil
            }
            let committed = trie.commit()
            for node in committed.nodes { #expect(Keccak256.hash(node.encoded) == node.hash) }
            #expect(Set(committed.nodes.map(\.hash)).count == committed.nodes.count, "no duplicates")
            let before = store.count
            store.insert(committed.nodes)
            if round > 0 { #expect(store.count - before <= committed.nodes.count) }
            roots.append((committed.root, model))
        }
        for (root, snapshot) in roots {
            var old = MerklePatriciaTrie(root: root, reader: store)
            for (key, value) in snapshot { #expect(try old.get(key) == value) }
        }

        // One more update: only the path from the root to that key is new (all of it stored by hash here).
        try trie.update(model.keys.first!, [1, 2, 3, 4])
        let single = trie.commit()
        #expect(single.nodes.count >= 2 && single.nodes.count <= 6, "\(single.nodes.count) nodes")
        #expect(single.nodes.last?.hash == single.root, "the root comes last")
        // Setting a key to the value it already has changes nothing.
        try trie.update(model.keys.first!, [1, 2, 3, 4])
        #expect(trie.commit().nodes.isEmpty)
    }

    /// Every key's proof verifies; absent keys prove absence; tampered proofs fail or do not prove the value.
    @Test(arguments: [KeyShape.short, .hashed])
    func proofs(shape: KeyShape) throws {
        var rng = SplitMix64(seed: shape == .short ? 31 : 32)
        var model: [[UInt8]: [UInt8]] = [:]
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        for _ in 0..<400 {
            let key = Self.randomKey(&rng, shape, pool: [])
            let value = Self.randomValue(&rng)
            model[key] = value
            try trie.update(key, value)
        }
        let committed = trie.commit()
        let root = committed.root
        var reopened = MerklePatriciaTrie(root: root, reader: InMemoryTrieNodes(committed.nodes))
        var tamperedChecks = 0
        for (key, value) in model {
            let proof = try trie.proof(key)
            #expect(try reopened.proof(key) == proof, "the same proof from stored nodes")
            #expect(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: proof) == value)
            #expect(proof.first.map(Keccak256.hash) == root, "the first node is the root")
            #expect(proof.dropFirst().allSatisfy { $0.count >= 32 }, "embedded nodes are not separate entries")

            #expect(throws: TrieError.self) {
                try MerklePatriciaTrie.verifyProof(root: Keccak256.hash(key), key: key, proof: proof)
            }
            let index = Int(rng.next() % UInt64(proof.count))
            var flipped = proof
            flipped[index][Int(rng.next() % UInt64(proof[index].count))] ^= UInt8(1 + rng.next() % 255)
            #expect(throws: TrieError.self) { try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: flipped) }
            var dropped = proof
            dropped.remove(at: index)
            #expect(throws: TrieError.self) { try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: dropped) }
            // Another key against this proof: an error, absence, or that key's own value, never this value.
            let other = key + [0x00]
            if model[other] == nil {
                do {
                    #expect(try MerklePatriciaTrie.verifyProof(root: root, key: other, proof: proof) == nil)
                } catch {
                    // A typed TrieError: the proof does not reach that key. Also acceptable.
                }
            }
            tamperedChecks += 1
        }
        #expect(tamperedChecks == model.count)

        for _ in 0..<200 {
            let key = Self.randomKey(&rng, shape, pool: [])
            guard model[key] == nil else { continue }
            let proof = try trie.proof(key)
            #expect(try MerklePatriciaTrie.verifyProof(root: root, key: key, proof: proof) == nil, "absent \(key.hexString)")
        }
        var empty = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        #expect(try empty.proof([1]).isEmpty)
        #expect(try MerklePatriciaTrie.verifyProof(root: MerklePatriciaTrie.emptyRoot, key: [1], proof: []) == nil)
    }

    @Test func secureTrieProofsUseUnhashedKeys() throws {
        var trie = SecureTrie(reader: InMemoryTrieNodes())
        var rng = SplitMix64(seed: 41)
        let keys = (0..<50).map { _ in rng.bytes(20) }
        for key in keys { try trie.update(key, key + key) }
        let root = trie.rootHash()
        for key in keys {
            #expect(try SecureTrie.verifyProof(root: root, key: key, proof: try trie.proof(key)) == key + key)
            #expect(try trie.trie.get(SecureTrie.hashedKey(key)) == key + key)
        }
        let absent = rng.bytes(20)
        #expect(try SecureTrie.verifyProof(root: root, key: absent, proof: try trie.proof(absent)) == nil)
    }

    /// Copies are independent values that share nodes.
    @Test func copiesDoNotShareChanges() throws {
        var rng = SplitMix64(seed: 51)
        var original = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        let keys = (0..<200).map { _ in rng.bytes(32) }
        for key in keys { try original.update(key, rng.bytes(40)) }
        let rootBefore = original.rootHash()
        var copy = original
        for key in keys.prefix(100) { try copy.delete(key) }
        try copy.update(rng.bytes(32), [9])
        #expect(copy.rootHash() != rootBefore)
        #expect(original.rootHash() == rootBefore)
        for key in keys { #expect(try original.get(key) != nil) }
        let committedCopy = copy.commit()
        #expect(!committedCopy.nodes.isEmpty)
        #expect(original.commit().root == rootBefore)
    }
}
