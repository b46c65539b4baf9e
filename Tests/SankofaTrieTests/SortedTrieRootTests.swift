import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaTrie

/// `SortedTrieRoot` against the general trie (the ethereum/tests vectors check both, see `TrieVectorTests`).
@Suite("Sorted trie root")
struct SortedTrieRootTests {
    static func trieRoot(_ keys: [[UInt8]], _ values: [[UInt8]]) throws -> Hash32 {
        try buildTrie(Array(zip(keys, values)))
    }

    @Test func emptyIsTheEmptyRoot() {
        #expect(SortedTrieRoot.root(keys: [], values: []) == MerklePatriciaTrie.emptyRoot)
    }

    /// Short keys from a small alphabet share prefixes and are prefixes of one another (branch values,
    /// extensions over odd nibble counts); values from 1 to 60 bytes make nodes both embedded and hashed.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 40, 200] as [Int])
    func randomSetsMatchTheGeneralTrie(count: Int) throws {
        var rng = SplitMix64(seed: UInt64(count))
        for round in 0..<20 {
            var model: [[UInt8]: [UInt8]] = [:]
            let alphabet: [UInt8] = [0x00, 0x01, 0x10, 0x12, 0x21, 0xab, 0xff]
            while model.count < count {
                let key = (0..<Int(rng.next() % 5)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                    + (rng.next() % 4 == 0 ? rng.bytes(32) : [])
                model[key] = rng.bytes(1 + Int(rng.next() % 60))
            }
            let sorted = model.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            let keys = sorted.map(\.key)
            let values = sorted.map(\.value)
            #expect(SortedTrieRoot.root(keys: keys, values: values) == (try Self.trieRoot(keys, values)),
                    "\(count) keys, round \(round)")
        }
    }

    /// The shape of a block's ordered tries: keys rlp(0…n-1), including the sizes where the key length changes.
    @Test(arguments: [1, 2, 127, 128, 129, 256, 1000] as [Int])
    func indexKeysMatchTheGeneralTrie(count: Int) throws {
        var rng = SplitMix64(seed: 7)
        let entries: [([UInt8], [UInt8])] = (0..<count).map { index in
            var key = RLPWriter(capacity: 9)
            key.write(UInt64(index))
            return (key.bytes, rng.bytes(1 + Int(rng.next() % 200)))
        }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        #expect(SortedTrieRoot.root(keys: entries.map(\.0), values: entries.map(\.1))
                == (try Self.trieRoot(entries.map(\.0), entries.map(\.1))))
    }
}
