import SankofaPrimitives
import Testing

@Suite("Word hashing")
struct WordHashingTests {
    /// Keys as the node meets them: storage slots and system addresses that differ in a few low bits of one word,
    /// and digests.
    static func slot(_ i: Int) -> Hash32 {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[30] = UInt8(i >> 8)
        bytes[31] = UInt8(i & 0xff)
        return Hash32(bytes: bytes)!
    }

    static func digest(_ i: Int) -> Hash32 { Keccak256.hash(Array("\(i)".utf8)) }

    /// Buckets of a 65,536-entry table filled with 65,536 keys, as balls into bins: about 63 % are occupied and
    /// none holds more than a handful (a bias towards some bits would pile keys up).
    static func spread(_ hashes: [Int]) -> (occupied: Double, fullest: Int) {
        var buckets = [Int](repeating: 0, count: hashes.count)
        for hash in hashes { buckets[hash & (hashes.count - 1)] += 1 }
        return (Double(buckets.count { $0 > 0 }) / Double(hashes.count), buckets.max() ?? 0)
    }

    @Test func structuredAndRandomKeysSpreadLikeRandomOnes() {
        let n = 1 << 16
        for seed in [0, 1, 0x7fff_ffff] {
            let cases: [(String, [Int])] = [
                ("slots", (0..<n).map { Self.slot($0)._rawHashValue(seed: seed) }),
                ("digests", (0..<n).map { Self.digest($0)._rawHashValue(seed: seed) }),
                ("addresses", (0..<n).map { Address(low: UInt32($0))._rawHashValue(seed: seed) }),
            ]
            for (name, hashes) in cases {
                let (occupied, fullest) = Self.spread(hashes)
                #expect(occupied > 0.6 && occupied < 0.66, "\(name), seed \(seed): \(occupied) of the buckets occupied")
                #expect(fullest <= 12, "\(name), seed \(seed): a bucket holds \(fullest) keys")
            }
        }
    }

    /// Flipping any one bit of a key moves it to another bucket of a 65,536-entry table almost always.
    @Test func everyBitOfTheKeyReachesTheBucket() {
        var moved = 0, total = 0
        for i in 0..<64 {
            let key = Self.digest(i)
            let bucket = key._rawHashValue(seed: 7) & 0xffff
            for bit in 0..<256 {
                var bytes = key.bytes
                bytes[bit / 8] ^= 1 << (bit % 8)
                if Hash32(bytes: bytes)!._rawHashValue(seed: 7) & 0xffff != bucket { moved += 1 }
                total += 1
            }
        }
        #expect(Double(moved) / Double(total) > 0.999, "\(moved) of \(total) one-bit changes moved the key")
    }

    /// A table's seed changes where a key lands, so tables of different sizes do not share a bucket order.
    @Test func theTableSeedChangesTheBucket() {
        let keys = (0..<1_000).map(Self.digest)
        let differing = keys.count { $0._rawHashValue(seed: 1) & 0xffff != $0._rawHashValue(seed: 2) & 0xffff }
        #expect(differing > 990)
    }

    @Test func setsAndDictionariesFindEveryKey() {
        let slots = (0..<5_000).map(Self.slot), digests = (0..<5_000).map(Self.digest)
        let set = Set(slots + digests + slots)
        #expect(set.count == 10_000)
        #expect((slots + digests).allSatisfy(set.contains))
        #expect(!set.contains(Self.slot(5_000)) && !set.contains(Self.digest(5_000)))
        var owners: [Address: Int] = [:]
        for i in 0..<5_000 { owners[Address(low: UInt32(i))] = i }
        #expect(owners.count == 5_000 && (0..<5_000).allSatisfy { owners[Address(low: UInt32($0))] == $0 })
        // `hash(into:)` (used when a hash or address is part of a larger key) agrees with equality too.
        struct Pair: Hashable { let address: Address, slot: Hash32 }
        let pairs = Set((0..<2_000).map { Pair(address: Address(low: UInt32($0 % 7)), slot: Self.slot($0)) })
        #expect(pairs.count == 2_000 && pairs.contains(Pair(address: Address(low: 3), slot: Self.slot(1_998))))
        #expect(Self.slot(9).hashValue == Self.slot(9).hashValue && Self.slot(9).hashValue != Self.slot(10).hashValue)
    }
}
