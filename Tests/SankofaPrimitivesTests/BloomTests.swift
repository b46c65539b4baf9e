import Testing
@testable import SankofaPrimitives

@Suite("Log bloom")
struct BloomTests {
    @Test func setsThreeBitsPerValue() {
        var bloom = Bloom()
        let address = Address(low: 0x1001).bytes
        bloom.add(address)
        let set = bloom.bytes.reduce(0) { $0 + $1.nonzeroBitCount }
        #expect((1...3).contains(set))
        #expect(bloom.mayContain(address))
        #expect(!Bloom().mayContain(address))
    }

    /// go-ethereum's `TestBloomExtensively` (core/types/bloom9_test.go): the keccak of the filter after adding
    /// 100 fixed strings.
    @Test func matchesGoEthereumAfterAHundredValues() {
        var bloom = Bloom()
        for i in 0..<100 { bloom.add(Array("xxxxxxxxxx data \(i) yyyyyyyyyyyyyy".utf8)) }
        #expect(Keccak256.hash(bloom.bytes).hex == "0xc8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263")
    }

    /// The bits are the low 11 bits of the digest's first three big-endian byte pairs; bit 0 is the lowest bit
    /// of the last byte.
    @Test func bitsComeFromTheDigestsFirstThreePairs() throws {
        let digest = try Hash32(hex: "0x0001" + "07ff" + "f800" + String(repeating: "ab", count: 26))
        let bits = Bloom.Bits(digest: digest)
        // 0xf800 keeps none of its low 11 bits.
        #expect([bits.first, bits.second, bits.third] == [1, 2047, 0])
        var bloom = Bloom()
        bloom.insert(bits)
        #expect(bloom.bytes[255] == 0b11)  // bits 0 and 1
        #expect(bloom.bytes[0] == 0x80)  // bit 2047
        #expect(bloom.bytes.reduce(0) { $0 + $1.nonzeroBitCount } == 3)
    }
}
