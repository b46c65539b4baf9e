import Foundation
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaTrie

/// Stored nodes and proofs come from outside the process: nothing in them may trap, and a failed operation
/// must leave the trie as it was.
@Suite("Malformed and missing nodes")
struct MalformedNodeTests {
    /// Runs every read and write path against a trie whose root node is `encoded` (stored under `hash`) and
    /// expects each to throw a TrieError.
    static func expectAllFail(_ encoded: [UInt8], hash: Hash32? = nil, _ label: String) {
        let store = InMemoryTrieNodes()
        let root = hash ?? Keccak256.hash(encoded)
        store.insert(hash: root, encoded: encoded)
        var trie = MerklePatriciaTrie(root: root, reader: store)
        #expect(throws: TrieError.self, "\(label): get") { _ = try trie.get([0x12, 0x34]) }
        #expect(throws: TrieError.self, "\(label): update") { try trie.update([0x12, 0x34], [1]) }
        #expect(throws: TrieError.self, "\(label): delete") { try trie.delete([0x12, 0x34]) }
        #expect(throws: TrieError.self, "\(label): proof") { _ = try trie.proof([0x12, 0x34]) }
        #expect(throws: TrieError.self, "\(label): forEach") { try trie.forEach { _, _ in true } }
        #expect(trie.rootHash() == root, "\(label): unchanged")
        #expect(throws: TrieError.self, "\(label): verifyProof") {
            _ = try MerklePatriciaTrie.verifyProof(root: root, key: [0x12, 0x34], proof: [encoded])
        }
    }

    @Test func malformedNodesThrow() {
        let hash32 = [UInt8](repeating: 0xab, count: 32)
        var branch16 = RLPWriter()
        branch16.writeList { w in for _ in 0..<16 { w.write(bytes: [UInt8]()) } }
        var shortRef = RLPWriter()
        shortRef.writeList { w in for _ in 0..<16 { w.write(bytes: [UInt8](repeating: 1, count: 31)) }; w.write(bytes: [UInt8]()) }
        var badFlag = RLPWriter()
        badFlag.writeList { w in w.write(bytes: [0x41, 0x23]); w.write(bytes: [1]) }
        var emptyLeafValue = RLPWriter()
        emptyLeafValue.writeList { w in w.write(bytes: [0x20, 0x12, 0x34]); w.write(bytes: [UInt8]()) }
        var emptyExtPath = RLPWriter()
        emptyExtPath.writeList { w in w.write(bytes: [0x00]); w.write(bytes: hash32) }
        var bigEmbedded = RLPWriter()  // a branch whose child 1 is an embedded list of >= 32 bytes
        bigEmbedded.writeList { w in
            w.write(bytes: [UInt8]())
            w.writeList { inner in inner.write(bytes: [0x20]); inner.write(bytes: [UInt8](repeating: 7, count: 40)) }
            for _ in 0..<14 { w.write(bytes: [UInt8]()) }
            w.write(bytes: [UInt8]())
        }
        var listValue = RLPWriter()
        listValue.writeList { w in w.write(bytes: [0x20, 0x12, 0x34]); w.writeList { $0.write(bytes: [1]) } }

        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("a string, not a list", [0x83, 1, 2, 3]),
            ("truncated list", [0xf8, 0x40, 0x01]),
            ("three items", [0xc3, 0x01, 0x02, 0x03]),
            ("trailing bytes", [0xc2, 0x20, 0x01, 0x00]),
            ("non-canonical single byte", [0xc3, 0x81, 0x01, 0x01]),
            ("branch of 16", branch16.bytes),
            ("31-byte child reference", shortRef.bytes),
            ("hex-prefix flag 4", badFlag.bytes),
            ("leaf with empty value", emptyLeafValue.bytes),
            ("extension with empty path", emptyExtPath.bytes),
            ("oversized embedded node", bigEmbedded.bytes),
            ("leaf value is a list", listValue.bytes),
        ]
        for (label, encoded) in cases { Self.expectAllFail(encoded, label) }
    }

    /// Random corruption of real nodes: decoding either succeeds or throws, never traps.
    @Test func fuzzedNodesNeverTrap() throws {
        var rng = SplitMix64(seed: 61)
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        for i in 0..<300 { try trie.update(rng.bytes(1 + i % 33), rng.bytes(1 + Int(rng.next() % 50))) }
        let nodes = trie.commit().nodes
        var decodedOK = 0
        for _ in 0..<5000 {
            var bytes = nodes[Int(rng.next() % UInt64(nodes.count))].encoded
            switch rng.next() % 4 {
            case 0: bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 + rng.next() % 255)
            case 1: bytes.removeLast(1 + Int(rng.next() % UInt64(bytes.count)))
            case 2: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: Int(rng.next() % UInt64(bytes.count + 1)))
            default: bytes = rng.bytes(Int(rng.next() % 80))
            }
            if (try? NodeCodec.decode(bytes, hash: .zero)) != nil { decodedOK += 1 }
            // A lying store returning the corrupted bytes under a real hash.
            let store = InMemoryTrieNodes()
            store.insert(hash: .zero, encoded: bytes)
            var corrupt = MerklePatriciaTrie(root: .zero, reader: store)
            _ = try? corrupt.get(rng.bytes(4))
            _ = try? corrupt.proof(rng.bytes(4))
            _ = try? corrupt.forEach { _, _ in true }
            _ = try? MerklePatriciaTrie.verifyProof(root: Keccak256.hash(bytes), key: rng.bytes(3), proof: [bytes])
        }
        #expect(decodedOK > 0)  // some single-byte flips inside values still decode
    }

    /// A store whose node points at itself (impossible with honest hashes) must not hang or overflow.
    @Test func selfReferencingNodeIsBounded() throws {
        let hash = Hash32(bytes: [UInt8](repeating: 0x11, count: 32))!
        var writer = RLPWriter()
        writer.writeList { w in for _ in 0..<16 { w.write(hash) }; w.write(bytes: [0x05]) }
        let store = InMemoryTrieNodes()
        store.insert(hash: hash, encoded: writer.bytes)
        var trie = MerklePatriciaTrie(root: hash, reader: store)
        #expect(try trie.get([0x12, 0x34]) == [0x05])  // the key runs out after 4 levels, at a branch value
        #expect(try trie.get([]) == [0x05])
        #expect(throws: TrieError.self) { try trie.forEach { _, _ in true } }
    }

    @Test func missingNodesThrowAndLeaveTheTrieUnchanged() throws {
        var rng = SplitMix64(seed: 71)
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        var keys: [[UInt8]] = []
        for _ in 0..<100 {
            keys.append(rng.bytes(32))
            try trie.update(keys.last!, rng.bytes(50))
        }
        let committed = trie.commit()
        let store = InMemoryTrieNodes(committed.nodes)
        // Drop one leaf (a 50-byte value makes every leaf a stored node).
        let victimKey = keys[17]
        let victimLeaf = try trie.proof(victimKey).last!
        store.remove(Keccak256.hash(victimLeaf))

        var reopened = MerklePatriciaTrie(root: committed.root, reader: store)
        #expect(throws: TrieError.missingNode(Keccak256.hash(victimLeaf))) { _ = try reopened.get(victimKey) }
        #expect(throws: TrieError.self) { try reopened.update(victimKey, [1]) }
        #expect(throws: TrieError.self) { try reopened.delete(victimKey) }
        #expect(throws: TrieError.self) { _ = try reopened.proof(victimKey) }
        #expect(throws: TrieError.self) { try reopened.forEach { _, _ in true } }
        #expect(reopened.rootHash() == committed.root)
        #expect(reopened.commit().nodes.isEmpty)
        for key in keys where key != victimKey { #expect(try reopened.get(key) != nil) }
    }

    /// Deleting one of two entries under a branch merges the other into the parent; if that sibling cannot be
    /// read the delete must fail before changing anything.
    @Test func failedCollapseLeavesTheTrieUnchanged() throws {
        let a: [UInt8] = [0x10] + [UInt8](repeating: 1, count: 31)
        let b: [UInt8] = [0x20] + [UInt8](repeating: 2, count: 31)
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        try trie.update(a, [UInt8](repeating: 0xaa, count: 40))
        try trie.update(b, [UInt8](repeating: 0xbb, count: 40))
        let committed = trie.commit()
        #expect(committed.nodes.count == 3)  // two hashed leaves and the root branch
        let store = InMemoryTrieNodes(committed.nodes)
        let leafB = try trie.proof(b).last!
        store.remove(Keccak256.hash(leafB))

        var reopened = MerklePatriciaTrie(root: committed.root, reader: store)
        #expect(throws: TrieError.missingNode(Keccak256.hash(leafB))) { try reopened.delete(a) }
        #expect(reopened.rootHash() == committed.root)
        #expect(try reopened.get(a) == [UInt8](repeating: 0xaa, count: 40))

        store.insert([TrieNode(encoded: leafB)])
        try reopened.delete(a)
        var expected = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        try expected.update(b, [UInt8](repeating: 0xbb, count: 40))
        #expect(reopened.rootHash() == expected.rootHash())
    }
}
