import Foundation
import SankofaTestSupport
import Testing
@testable import SankofaTrie

@Suite("Hex-prefix encoding")
struct HexPrefixTests {
    @Test(.enabled(if: VectorFiles.available, "../shared/vectors is absent"))
    func ethereumVectors() throws {
        let cases = try #require(try VectorFiles.json("trie/hexencodetest.json") as? [String: [String: Any]])
        #expect(cases.count == 12)
        for (name, test) in cases.sorted(by: { $0.key < $1.key }) {
            let seq = try #require(test["seq"] as? [Int]).map { UInt8($0) }
            let term = try #require(test["term"] as? Bool)
            let out = fixtureBytes(try #require(test["out"] as? String))
            #expect(HexPrefix.encode(nibbles: seq, isLeaf: term) == out, "encode \(name)")
            let decoded = try HexPrefix.decode(out)
            #expect(decoded.nibbles == seq && decoded.isLeaf == term, "decode \(name)")
        }
    }

    @Test func roundTripsEveryShortPath() throws {
        var rng = SplitMix64(seed: 7)
        for length in 0..<70 {
            for isLeaf in [false, true] {
                let nibbles = (0..<length).map { _ in UInt8(rng.next() % 16) }
                let encoded = HexPrefix.encode(nibbles: nibbles, isLeaf: isLeaf)
                #expect(encoded.count == length / 2 + 1)
                let decoded = try HexPrefix.decode(encoded)
                #expect(decoded.nibbles == nibbles && decoded.isLeaf == isLeaf, "length \(length) leaf \(isLeaf)")
            }
        }
    }

    @Test func rejectsMalformedPrefixes() {
        for bad: [UInt8] in [[], [0x40], [0xf0, 0x12], [0x01, 0x23], [0x21], [0x5f]] {
            #expect(throws: TrieError.self, "\(bad)") { try HexPrefix.decode(bad) }
        }
    }
}
