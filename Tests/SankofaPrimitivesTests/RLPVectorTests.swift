import Foundation
import SankofaTestSupport
import Testing
@testable import SankofaPrimitives

/// ethereum/tests RLPTests and ethers' RLP cases, read in place from ../shared/vectors/rlp.
@Suite("RLP vectors", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct RLPVectorTests {
    /// Builds the expected item from rlptest.json's `in`: strings are raw bytes, numbers and "#decimal" are
    /// big-endian integers, arrays are lists.
    static func item(fromTestInput value: Any) throws -> RLPItem {
        switch value {
        case let text as String where text.hasPrefix("#"):
            // Arbitrary precision: one case is 2^256, wider than UInt256.
            return .bytes(Self.bigEndianBytes(decimal: text.dropFirst()))
        case let text as String:
            return .bytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        case let number as NSNumber:
            return .bytes(UInt256(number.uint64Value).minimalBigEndianBytes)
        case let list as [Any]:
            return .list(try list.map(item(fromTestInput:)))
        default:
            throw VectorError("unexpected rlptest input \(value)")
        }
    }

    /// Decimal text to minimal big-endian bytes by repeated multiply-and-add on a byte array.
    static func bigEndianBytes(decimal: Substring) -> [UInt8] {
        var bytes: [UInt8] = []  // little-endian while building
        for digit in decimal.utf8 {
            var carry = Int(digit - UInt8(ascii: "0"))
            for i in bytes.indices {
                let value = Int(bytes[i]) * 10 + carry
                bytes[i] = UInt8(value & 0xff)
                carry = value >> 8
            }
            while carry > 0 { bytes.append(UInt8(carry & 0xff)); carry >>= 8 }
        }
        return bytes.reversed()
    }

    @Test func ethereumValidEncodings() throws {
        let cases = try #require(try VectorFiles.json("rlp/rlptest.json") as? [String: [String: Any]])
        #expect(cases.count > 20)
        for (name, test) in cases.sorted(by: { $0.key < $1.key }) {
            let expected = try Self.item(fromTestInput: try #require(test["in"]))
            let out = fixtureBytes(try #require(test["out"] as? String))
            #expect(expected.encoded == out, "encode \(name)")
            #expect(try RLPItem.decode(out) == expected, "decode \(name)")
        }
    }

    @Test func ethereumInvalidEncodingsAreRejected() throws {
        let cases = try #require(try VectorFiles.json("rlp/invalidRLPTest.json") as? [String: [String: Any]])
        #expect(cases.count > 10)
        for (name, test) in cases.sorted(by: { $0.key < $1.key }) {
            let bytes = fixtureBytes(try #require(test["out"] as? String))
            #expect(throws: RLPError.self, "\(name) must be rejected") { _ = try RLPItem.decode(bytes) }
        }
    }

    static func item(fromEthers value: Any) throws -> RLPItem {
        if let hex = value as? String { return .bytes(fixtureBytes(hex)) }
        if let list = value as? [Any] { return .list(try list.map(item(fromEthers:))) }
        throw VectorError("unexpected ethers rlp value \(value)")
    }

    @Test func ethersEncodeAndDecode() throws {
        let cases = try #require(try VectorFiles.json("rlp/ethers-rlp.json") as? [[String: Any]])
        #expect(cases.count == 61)
        for test in cases {
            let name = test["name"] as? String ?? "?"
            let expected = try Self.item(fromEthers: try #require(test["decoded"]))
            let encoded = fixtureBytes(try #require(test["encoded"] as? String))
            #expect(expected.encoded == encoded, "encode \(name)")
            #expect(try RLPItem.decode(encoded) == expected, "decode \(name)")
        }
    }
}

