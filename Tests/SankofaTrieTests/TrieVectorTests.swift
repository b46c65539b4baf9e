import Foundation
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaTrie

/// ethereum/tests TrieTests, read in place from ../shared/vectors/trie.
@Suite("Trie vectors", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct TrieVectorTests {
    /// `in` as an ordered list of (key, value or nil = delete).
    static func orderedOps(_ input: Any) throws -> [([UInt8], [UInt8]?)] {
        let rows = try #require(input as? [[Any]])
        return try rows.map { row in
            let key = vectorBytes(try #require(row.first as? String))
            let value = row.count > 1 ? (row[1] as? String).map(vectorBytes) : nil
            return (key, value)
        }
    }

    /// `in` as an object: insertion order is not given, so sorted for determinism.
    static func unorderedEntries(_ input: Any) throws -> [([UInt8], [UInt8])] {
        let object = try #require(input as? [String: String])
        return object.sorted { $0.key < $1.key }.map { (vectorBytes($0.key), vectorBytes($0.value)) }
    }

    /// Applies ops to a fresh trie, checks the root, then checks that the committed nodes reopen to the same
    /// contents and that every surviving key proves its value.
    static func check(_ name: String, ops: [([UInt8], [UInt8]?)], root expected: Hash32, secure: Bool) throws {
        let store = InMemoryTrieNodes()
        var model: [[UInt8]: [UInt8]] = [:]
        var trie = SecureTrie(reader: store)
        var plain = MerklePatriciaTrie(reader: store)
        for (key, value) in ops {
            if let value, !value.isEmpty {
                model[key] = value
                if secure { try trie.update(key, value) } else { try plain.update(key, value) }
            } else {
                model[key] = nil
                if secure { try trie.delete(key) } else { try plain.delete(key) }
            }
        }
        let committed = secure ? trie.commit() : plain.commit()
        #expect(committed.root == expected, "\(name): root")
        if !secure {
            let sorted = model.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            #expect(SortedTrieRoot.root(keys: sorted.map(\.key), values: sorted.map(\.value)) == expected,
                    "\(name): root from sorted keys")
        }
        store.insert(committed.nodes)

        var reopened = SecureTrie(root: committed.root, reader: store)
        var reopenedPlain = MerklePatriciaTrie(root: committed.root, reader: store)
        for (key, value) in model {
            let got = secure ? try reopened.get(key) : try reopenedPlain.get(key)
            #expect(got == value, "\(name): reopened get \(key.hexString)")
            let proof = secure ? try reopened.proof(key) : try reopenedPlain.proof(key)
            let proven = secure
                ? try SecureTrie.verifyProof(root: expected, key: key, proof: proof)
                : try MerklePatriciaTrie.verifyProof(root: expected, key: key, proof: proof)
            #expect(proven == value, "\(name): proof of \(key.hexString)")
        }
    }

    static func runOrdered(_ file: String, secure: Bool, expectedCases: Int) throws {
        let cases = try #require(try VectorFiles.json(file) as? [String: [String: Any]])
        #expect(cases.count == expectedCases)
        for (name, test) in cases.sorted(by: { $0.key < $1.key }) {
            let root = try Hash32(hex: try #require(test["root"] as? String))
            try check(name, ops: try orderedOps(try #require(test["in"])), root: root, secure: secure)
        }
    }

    static func runAnyOrder(_ file: String, secure: Bool, expectedCases: Int) throws {
        let cases = try #require(try VectorFiles.json(file) as? [String: [String: Any]])
        #expect(cases.count == expectedCases)
        var rng = SplitMix64(seed: 0xa11)
        for (name, test) in cases.sorted(by: { $0.key < $1.key }) {
            let root = try Hash32(hex: try #require(test["root"] as? String))
            let entries = try unorderedEntries(try #require(test["in"]))
            try check(name, ops: entries.map { ($0.0, $0.1) }, root: root, secure: secure)
            // The root must not depend on insertion order.
            for _ in 0..<6 {
                let shuffled = entries.shuffled(using: &rng)
                #expect(try buildTrie(shuffled, secure: secure) == root, "\(name): shuffled order")
            }
            #expect(try buildTrie(entries.reversed(), secure: secure) == root, "\(name): reversed order")
        }
    }

    @Test func trietest() throws { try Self.runOrdered("trie/trietest.json", secure: false, expectedCases: 5) }

    @Test func trietestSecure() throws {
        try Self.runOrdered("trie/trietest_secureTrie.json", secure: true, expectedCases: 3)
    }

    @Test func anyOrder() throws { try Self.runAnyOrder("trie/trieanyorder.json", secure: false, expectedCases: 7) }

    @Test func anyOrderSecure() throws {
        try Self.runAnyOrder("trie/trieanyorder_secureTrie.json", secure: true, expectedCases: 7)
    }

    @Test func hexEncodedSecure() throws {
        let cases = try #require(try VectorFiles.json("trie/hex_encoded_securetrie_test.json") as? [String: [String: Any]])
        #expect(cases.count == 3)
        for (name, test) in cases.sorted(by: { $0.key < $1.key }) {
            let root = try Hash32(hex: try #require(test["root"] as? String))
            let object = try #require(test["in"] as? [String: String])
            let entries = object.sorted { $0.key < $1.key }.map { (fixtureBytes($0.key), fixtureBytes($0.value)) }
            try Self.check(name, ops: entries.map { ($0.0, $0.1) }, root: root, secure: true)
            #expect(try buildTrie(entries.reversed(), secure: true) == root, "\(name): reversed order")
        }
    }

    @Test func emptyTrieRoot() throws {
        #expect(MerklePatriciaTrie.emptyRoot.hex == "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        #expect(trie.rootHash() == MerklePatriciaTrie.emptyRoot)
        try trie.update([1, 2, 3], [4])
        try trie.delete([1, 2, 3])
        let committed = trie.commit()
        #expect(committed.root == MerklePatriciaTrie.emptyRoot)
        #expect(committed.nodes.isEmpty)
    }

    /// A root node under 32 bytes is still hashed and still handed out by commit.
    @Test func smallRootIsHashedAndStored() throws {
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        try trie.update([0x01], [0x02])
        let encoded: [UInt8] = [0xc4, 0x82, 0x20, 0x01, 0x02]  // [hp(leaf, [0,1]) = 0x2001, 0x02]
        let committed = trie.commit()
        #expect(committed.root == Keccak256.hash(encoded))
        #expect(committed.nodes == [TrieNode(hash: Keccak256.hash(encoded), encoded: encoded)])
        var reopened = MerklePatriciaTrie(root: committed.root, reader: InMemoryTrieNodes(committed.nodes))
        #expect(try reopened.get([0x01]) == [0x02])
    }
}
