import SankofaContracts
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Selectors, topics, revert data, and the encoder's checks that a value fits its type.
@Suite("ABI encoding, selectors and reverts")
struct ABITests {
    @Test("well-known selector and event topic")
    func hashes() {
        #expect(fixtureHex(ABI.selector("transfer(address,uint256)")) == "0xa9059cbb")
        #expect(ABI.eventTopic("Transfer(address,address,uint256)").hex
            == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(ABI.signature("Transfer", [.address, .address, .uint(256)]) == "Transfer(address,address,uint256)")
    }

    @Test("Error(string) revert data: known encoding and round trip")
    func revert() throws {
        let reason = "Not enough Ether provided."
        let expected = "0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "000000000000000000000000000000000000000000000000000000000000001a"
            + "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000"
        #expect(fixtureHex(ABI.encodeRevert(reason)) == expected)
        #expect(ABI.decodeRevert(fixtureBytes(expected)) == reason)
        for text in ["", "x", "🚀 émoji", String(repeating: "long ", count: 100)] {
            #expect(ABI.decodeRevert(ABI.encodeRevert(text)) == text)
        }
    }

    @Test("decodeRevert is nil for anything but a well-formed Error(string)")
    func revertRejects() {
        let good = ABI.encodeRevert("reason")
        #expect(ABI.decodeRevert([]) == nil)
        #expect(ABI.decodeRevert(Array(good.prefix(3))) == nil)
        #expect(ABI.decodeRevert(Array(good.prefix(40))) == nil)
        var otherSelector = good
        otherSelector[0] = 0x4e  // Panic(uint256) is 0x4e487b71
        #expect(ABI.decodeRevert(otherSelector) == nil)
        var badUTF8 = good
        badUTF8[4 + 64] = 0xFF
        #expect(ABI.decodeRevert(badUTF8) == nil)
    }

    @Test("encode checks each value fits its type")
    func encodeChecks() throws {
        #expect(throws: ABIError.valueOutOfRange(type: "uint8")) { try ABI.encode([.uint(256)], as: [.uint(8)]) }
        _ = try ABI.encode([.uint(255)], as: [.uint(8)])
        _ = try ABI.encode([.uint(.max)], as: [.uint(256)])
        #expect(throws: ABIError.valueOutOfRange(type: "int8")) { try ABI.encode([.int(128)], as: [.int(8)]) }
        #expect(throws: ABIError.valueOutOfRange(type: "int8")) { try ABI.encode([.int(-129)], as: [.int(8)]) }
        _ = try ABI.encode([.int(-128), .int(127)], as: [.int(8), .int(8)])
        #expect(throws: ABIError.valueOutOfRange(type: "bytes4")) {
            try ABI.encode([.fixedBytes([1, 2, 3])], as: [.fixedBytes(4)])
        }
        #expect(throws: ABIError.valueOutOfRange(type: "bool[2]")) {
            try ABI.encode([.array([.bool(true)])], as: [.fixedArray(.bool, 2)])
        }
        #expect(throws: ABIError.valueMismatch(expected: "uint256", got: "string")) {
            try ABI.encode([.string("1")], as: [.uint(256)])
        }
        #expect(throws: ABIError.valueMismatch(expected: "2 values", got: "1")) {
            try ABI.encode([.bool(true)], as: [.bool, .bool])
        }
        #expect(throws: ABIError.valueMismatch(expected: "(bool,bool)", got: "tuple of 1")) {
            try ABI.encode([.tuple([.bool(true)])], as: [.tuple([.bool, .bool])])
        }
    }

    @Test("signed integers are sign-extended two's complement words")
    func signed() throws {
        let encoded = try ABI.encode([.int(-1), .int(-2)], as: [.int(256), .int(16)])
        #expect(encoded.prefix(32).allSatisfy { $0 == 0xFF })
        #expect(encoded[32..<63].allSatisfy { $0 == 0xFF } && encoded[63] == 0xFE)
        #expect(ABIValue.int(-1).int == UInt256.max)
        #expect(ABIValue.int(Int64.min).int64 == Int64.min)
        #expect(ABIValue.int(magnitude: 5, negative: true) == .int(-5))
        #expect(ABIValue.int(magnitude: UInt256.one << 70, negative: true).int64 == nil)
        #expect(ABIValue.int(magnitude: UInt256.one << 63, negative: false).int64 == nil)
        #expect(ABIValue.int(magnitude: UInt256.one << 63, negative: true).int64 == Int64.min)
    }

    @Test("accessors return nil on a different case")
    func accessors() throws {
        let hash = [UInt8](repeating: 0xAB, count: 32)
        let values = try ABI.decode(
            ABI.encode([.address(Address(low: 0x1001)), .fixedBytes(hash), .string("doc"), .uint64(42)],
                       as: [.address, .fixedBytes(32), .string, .uint(64)]),
            as: [.address, .fixedBytes(32), .string, .uint(64)])
        #expect(values[0].address == Address(low: 0x1001))
        #expect(values[1].bytes32 == Hash32(bytes: hash))
        #expect(values[2].string == "doc")
        #expect(values[3].uint64 == 42)
        #expect(values[3].uint == 42)
        #expect(values[0].uint == nil && values[2].bytes == nil && values[3].string == nil && values[1].bool == nil)
        #expect(ABIValue.array([]).array == [] && ABIValue.tuple([.bool(true)]).tuple == [.bool(true)])
        #expect(ABIValue.bytes([1]).bytes == [1] && ABIValue.fixedBytes([1]).bytes32 == nil)
    }

    @Test("empty argument lists encode to nothing; selector-prefixed calldata")
    func emptyAndSelector() throws {
        #expect(try ABI.encode([], as: []) == [])
        #expect(try ABI.decode([UInt8](), as: []) == [])
        let call = try ABI.encode(selector: ABI.selector("pause()"), [], as: [])
        #expect(call == ABI.selector("pause()"))
    }
}
