import SankofaTestSupport
import Testing
@testable import SankofaPrimitives

@Suite("RLP codec")
struct RLPTests {
    @Test("strict decoder errors name the problem", arguments: [
        ([0x81, 0x05], RLPError.nonCanonicalSingleByte),
        ([0xb8, 0x02, 0x61, 0x62], .nonCanonicalLength),
        ([0xb9, 0x00, 0x40] + [UInt8](repeating: 0x61, count: 64), .leadingZeroInLength),
        ([0x83, 0x61, 0x62], .truncated(needed: 4, available: 3)),
        ([0xc2, 0x80], .truncated(needed: 3, available: 2)),
        ([0x80, 0x80], .trailingBytes(count: 1)),
        ([], .unexpectedEnd),
        ([0xbf, 0x01, 0, 0, 0, 0, 0, 0, 0], .lengthOverflow),
    ] as [([UInt8], RLPError)])
    func rejects(input: [UInt8], expected: RLPError) {
        #expect(throws: expected) { _ = try RLPItem.decode(input) }
    }

    @Test func integersMustBeMinimal() throws {
        var reader = RLPReader([0x82, 0x00, 0x01])
        #expect(throws: RLPError.leadingZeroInInteger) { _ = try reader.readUInt64() }
        var wide = RLPReader([0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(throws: RLPError.integerTooLarge(maxBytes: 8, got: 9)) { _ = try wide.readUInt64() }
        var zero = RLPReader([0x80])
        #expect(try zero.readUInt64() == 0)
    }

    /// A reader may start inside its input (a typed transaction's fields, after the type byte) and then reads
    /// what a reader over a copy of the tail would.
    @Test func aReaderMayStartInsideItsInput() throws {
        var inside = RLPReader([0x02, 0xc3, 0x01, 0x02, 0x03], from: 1)
        var list = try inside.readList()
        #expect(try list.readUInt64() == 1)
        #expect(try list.readUInt64() == 2)
        #expect(try list.readUInt64() == 3)
        try list.finish()
        try inside.finish()
        var truncated = RLPReader([0x02, 0xc3, 0x01], from: 1)
        #expect(throws: RLPError.self) { _ = try truncated.readList() }
        let empty = RLPReader([0x02], from: 1)
        #expect(empty.isAtEnd)
    }

    @Test func typedFieldsRoundTrip() throws {
        let address = try Address(hex: "0x00000000000000000000000000000000000010aa")
        let hash = Keccak256.hash([1, 2, 3] as [UInt8])
        var writer = RLPWriter()
        writer.writeList { w in
            w.write(0 as UInt64)
            w.write(127 as UInt64)
            w.write(128 as UInt64)
            w.write(UInt64.max)
            w.write(UInt256.max)
            w.write(address)
            w.write(nil as Address?)
            w.write(hash)
            w.write(true)
        }
        var outer = RLPReader(writer.bytes)
        var r = try outer.readList()
        #expect(try r.readUInt64() == 0)
        #expect(try r.readUInt64() == 127)
        #expect(try r.readUInt64() == 128)
        #expect(try r.readUInt64() == .max)
        #expect(try r.readUInt256() == .max)
        #expect(try r.readAddress() == address)
        #expect(try r.readOptionalAddress() == nil)
        #expect(try r.readHash() == hash)
        #expect(try r.readBool())
        try r.finish()
        try outer.finish()
    }

    @Test func randomTreesRoundTrip() throws {
        var rng = SplitMix64(seed: 0x5eed)
        for _ in 0..<500 {
            let tree = Self.randomItem(&rng, depth: 0)
            let encoded = tree.encoded
            #expect(try RLPItem.decode(encoded) == tree)
            // Any strict prefix is truncated input and must be refused.
            if encoded.count > 1 {
                let cut = Int(rng.next() % UInt64(encoded.count - 1)) + 1
                #expect(throws: RLPError.self) { _ = try RLPItem.decode(Array(encoded[0..<cut])) }
            }
        }
    }

    @Test func deepNestingIsRefusedNotCrashing() {
        // 300 nested lists: deeper than the generic decoder allows, so it must refuse rather than recurse on.
        var bytes: [UInt8] = [0xc0]
        for _ in 0..<300 {
            let n = bytes.count
            if n < 56 {
                bytes.insert(0xc0 + UInt8(n), at: 0)
            } else if n < 256 {
                bytes.insert(contentsOf: [0xf8, UInt8(n)], at: 0)
            } else {
                bytes.insert(contentsOf: [0xf9, UInt8(n >> 8), UInt8(n & 0xff)], at: 0)
            }
        }
        #expect(throws: RLPError.tooDeep(limit: RLPItem.maximumDepth)) { _ = try RLPItem.decode(bytes) }
    }

    static func randomItem(_ rng: inout SplitMix64, depth: Int) -> RLPItem {
        if depth < 4 && rng.next() % 3 == 0 {
            let count = Int(rng.next() % 6)
            return .list((0..<count).map { _ in randomItem(&rng, depth: depth + 1) })
        }
        let lengths = [0, 1, 1, 2, 55, 56, 57, 200, 1024]
        let length = lengths[Int(rng.next() % UInt64(lengths.count))]
        return .bytes((0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }
}

