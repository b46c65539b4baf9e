import Foundation
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaTrie

@Suite("Trie iteration")
struct TrieIterationTests {
    /// The first key strictly after `probe` and the last key strictly before it, found with forEach(from:).
    static func neighbours(_ trie: inout MerklePatriciaTrie, _ probe: [UInt8]) throws -> (prev: [UInt8]?, next: [UInt8]?) {
        var next: [UInt8]?
        try trie.forEach(from: probe) { key, _ in
            if key == probe { return true }
            next = key
            return false
        }
        var prev: [UInt8]?
        try trie.forEach { key, _ in
            guard key.lexicographicallyPrecedes(probe) else { return false }
            prev = key
            return true
        }
        return (prev, next)
    }

    @Test(.enabled(if: VectorFiles.available, "../shared/vectors is absent"))
    func nextPrevVectors() throws {
        let cases = try #require(try VectorFiles.json("trie/trietestnextprev.json") as? [String: [String: Any]])
        #expect(cases.count == 1)
        for (name, test) in cases {
            let keys = try #require(test["in"] as? [String])
            var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
            for key in keys { try trie.update(Array(key.utf8), Array(key.utf8)) }
            let probes = try #require(test["tests"] as? [[String]])
            #expect(probes.count == 12)
            for probe in probes {
                let (prev, next) = try Self.neighbours(&trie, Array(probe[0].utf8))
                #expect(prev.map { String(decoding: $0, as: UTF8.self) } ?? "" == probe[1], "\(name) prev of \(probe[0])")
                #expect(next.map { String(decoding: $0, as: UTF8.self) } ?? "" == probe[2], "\(name) next of \(probe[0])")
            }
        }
    }

    /// forEach(from:) over random tries (keys of mixed lengths sharing prefixes, some branch values) matches a
    /// sorted model, from random start keys, both in memory and after reopening from committed nodes.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func matchesSortedModel(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var model: [[UInt8]: [UInt8]] = [:]
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        let alphabet: [UInt8] = [0x00, 0x01, 0x10, 0x11, 0x7f, 0xf0, 0xff]
        for _ in 0..<300 {
            let key = (0..<Int(rng.next() % 5)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let value = rng.bytes(1 + Int(rng.next() % 40))
            model[key] = value
            try trie.update(key, value)
        }
        let sorted = model.keys.sorted(by: [UInt8].byteOrder)
        let committed = trie.commit()
        var reopened = MerklePatriciaTrie(root: committed.root, reader: InMemoryTrieNodes(committed.nodes))
        for variant in 0..<2 {
            var subject = variant == 0 ? trie : reopened
            let everything = try allEntries(&subject)
            #expect(everything.map(\.0) == sorted, "seed \(seed) full order")
            #expect(everything.allSatisfy { model[$0.0] == $0.1 })
            for _ in 0..<60 {
                let start = (0..<Int(rng.next() % 5)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                let limit = Int(rng.next() % 6)
                var got: [[UInt8]] = []
                try subject.forEach(from: start) { key, _ in
                    got.append(key)
                    return got.count < limit
                }
                let want = Array(sorted.filter { !$0.lexicographicallyPrecedes(start) }.prefix(max(limit, 1)))
                #expect(got == want, "seed \(seed) from \(start.hexString) limit \(limit)")
            }
        }
        _ = reopened.rootHash()
    }

    @Test func emptyTrieVisitsNothing() throws {
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        var visits = 0
        try trie.forEach { _, _ in visits += 1; return true }
        #expect(visits == 0)
    }
}
