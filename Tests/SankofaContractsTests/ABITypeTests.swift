import SankofaContracts
import Testing

/// Type strings as Solidity, ABI JSON and ethers write them, and what the parser must refuse.
@Suite("ABI type parsing")
struct ABITypeTests {
    @Test("parses and canonicalises", arguments: [
        ("uint256", "uint256"), ("uint", "uint256"), ("int", "int256"), ("int8", "int8"), ("bytes32", "bytes32"),
        ("bytes", "bytes"), ("string", "string"), ("bool", "bool"), ("address[]", "address[]"),
        ("uint8[3][]", "uint8[3][]"), ("(uint256,string)[]", "(uint256,string)[]"),
        ("tuple(uint256,bytes)[2]", "(uint256,bytes)[2]"), (" ( uint , string [ ] ) [ 2 ] ", "(uint256,string[])[2]"),
        ("((address,(bool)),int)", "((address,(bool)),int256)"),
    ])
    func parses(text: String, canonical: String) throws {
        let type = try ABIType(parsing: text)
        #expect(type.canonicalName == canonical)
        #expect(type.description == canonical)
        #expect(try ABIType(parsing: canonical) == type)
    }

    @Test("structure of a nested type")
    func structure() throws {
        #expect(try ABIType(parsing: "uint8[3][]") == .array(.fixedArray(.uint(8), 3)))
        #expect(try ABIType(parsing: "tuple(uint256,bytes)[2]") == .fixedArray(.tuple([.uint(256), .bytes]), 2))
    }

    @Test("refuses", arguments: [
        "", "uint7", "uint0", "uint264", "uint08", "int257", "bytes0", "bytes33", "uint256[0]", "uint256[01]",
        "uint256[", "uint256]", "()", "(uint256", "(uint256,)", "tuple", "tuple uint256", "Uint256", "uint 256",
        "address payable", "uint256[-1]", "uint256[99999999999999999999999]", "fixed128x18", "function",
    ])
    func refuses(text: String) {
        #expect(throws: ABIError.self) { try ABIType(parsing: text) }
    }

    @Test("nesting is capped at maxNestingDepth")
    func depth() throws {
        let ok = "uint8" + String(repeating: "[]", count: ABIType.maxNestingDepth)
        _ = try ABIType(parsing: ok)
        #expect(throws: ABIError.tooDeep) { try ABIType(parsing: ok + "[]") }
        let parens = String(repeating: "(", count: 10_000) + "uint8" + String(repeating: ")", count: 10_000)
        #expect(throws: ABIError.tooDeep) { try ABIType(parsing: parens) }
        let brackets = "uint8" + String(repeating: "[2]", count: 100_000)
        #expect(throws: ABIError.tooDeep) { try ABIType(parsing: brackets) }
    }

    @Test("isDynamic follows the spec")
    func dynamic() throws {
        for (text, dynamic) in [("uint256", false), ("bytes32", false), ("bytes", true), ("string", true),
                                ("uint8[]", true), ("uint8[3]", false), ("string[2]", true), ("(uint8,bool)", false),
                                ("(uint8,string)", true), ("(uint8[2],bool)[3]", false)] {
            #expect(try ABIType(parsing: text).isDynamic == dynamic, "\(text)")
        }
    }
}
