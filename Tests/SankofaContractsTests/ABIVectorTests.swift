import Foundation
import SankofaContracts
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// The public ABI vectors in `abi/` (see the vectors README): selectors and calldata from the Solidity spec,
/// ethereum/tests' basic encodings, ethers' 1024 randomised round trips and its packed-encoding hashes.
@Suite("ABI vectors", .enabled(if: VectorFiles.available, "vector folder not found"))
struct ABIVectorTests {
    @Test("Solidity spec examples: selectors and full calldata")
    func solidityExamples() throws {
        let file = try #require(VectorFiles.json("abi/solidity-abi-spec-examples.json") as? [String: Any])
        let cases = try #require(file["cases"] as? [[String: Any]])
        #expect(cases.count == 6)
        for item in cases {
            let signature = try #require(item["signature"] as? String)
            let types = try #require(item["types"] as? [String]).map { try ABIType(parsing: $0) }
            let values = try FixtureValue.list(try #require(item["values"]), as: types)
            if let calldataHex = item["calldata"] as? String {
                let selectorHex = try #require(item["selector"] as? String)
                #expect(fixtureHex(ABI.selector(signature)) == selectorHex, "\(signature)")
                let name = String(signature.prefix { $0 != "(" })
                #expect(ABI.signature(name, types) == signature)
                let calldata = try ABI.encode(selector: ABI.selector(signature), values, as: types)
                #expect(fixtureHex(calldata) == calldataHex, "\(signature)")
                let expected = fixtureBytes(calldataHex)
                #expect(try ABI.decode(expected.dropFirst(4), as: types) == values, "\(signature)")
            } else {
                let encoded = try #require(item["encoded_return"] as? String)
                #expect(fixtureHex(try ABI.encode(values, as: types)) == encoded)
                #expect(try ABI.decode(fixtureBytes(encoded), as: types) == values)
            }
        }
    }

    @Test("ethereum/tests ABITests/basic_abi_tests.json")
    func basicABITests() throws {
        let file = try #require(VectorFiles.json("abi/basic_abi_tests.json") as? [String: [String: Any]])
        #expect(file.count == 3)
        for (name, item) in file.sorted(by: { $0.key < $1.key }) {
            let types = try #require(item["types"] as? [String]).map { try ABIType(parsing: $0) }
            let values = try FixtureValue.list(try #require(item["args"]), as: types, bytesAsText: true)
            let result = try #require(item["result"] as? String)
            #expect(fixtureHex(try ABI.encode(values, as: types)) == "0x" + result, "\(name)")
            #expect(try ABI.decode(fixtureBytes(result), as: types) == values, "\(name)")
        }
    }

    @Test("ethers randomised encodings: encode == encoded, decode(encoded) == value")
    func ethersRandom() throws {
        let cases = try #require(VectorFiles.json("abi/ethers-abi-random.json") as? [[String: Any]])
        #expect(cases.count == 1024)
        var checked = 0
        for item in cases {
            let name = try #require(item["name"] as? String)
            let typeText = try #require(item["type"] as? String)
            let type = try ABIType(parsing: typeText)
            #expect(try ABIType(parsing: type.canonicalName) == type, "\(name)")
            let value = try FixtureValue.make(try #require(item["value"]), as: type)
            let encoded = try #require(item["encoded"] as? String)
            let ours = try ABI.encode([value], as: [type])
            #expect(fixtureHex(ours) == encoded, "\(name): \(typeText)")
            #expect(try ABI.decode(fixtureBytes(encoded), as: [type]) == [value], "\(name): \(typeText)")
            checked += 1
        }
        #expect(checked == 1024)
    }

    @Test("ethers solidityPacked hashes: keccak256(encodePacked) matches")
    func ethersPacked() throws {
        let cases = try #require(VectorFiles.json("abi/ethers-solidity-packed-hashes.json") as? [[String: Any]])
        #expect(cases.count == 2016)
        for item in cases {
            let name = try #require(item["name"] as? String)
            let types = try #require(item["types"] as? [String]).map { try ABIType(parsing: $0) }
            let values = try FixtureValue.list(try #require(item["values"]), as: types)
            let packed = try ABI.encodePacked(values, as: types)
            #expect(Keccak256.hash(packed).hex == item["keccak256"] as? String, "\(name)")
        }
    }
}
