import SankofaTestSupport
import Testing
@testable import SankofaPrimitives

@Suite("Hex, Hash32 and Address")
struct HexAndAddressTests {
    @Test func hexRoundTrip() throws {
        let bytes: [UInt8] = [0x00, 0x01, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "0x0001abff")
        #expect(try Hex.decode("0x0001ABff") == bytes)
        #expect(try Hex.decode("0001abff") == bytes)
        #expect(try Hex.decode("0x") == [])
    }

    @Test("hex errors", arguments: [
        ("0x123", HexError.oddLength(digits: 3)),
        ("0xzz", .invalidCharacter(offset: 0)),
        ("0x0g", .invalidCharacter(offset: 1)),
    ])
    func hexErrors(text: String, error: HexError) {
        #expect(throws: error) { _ = try Hex.decode(text) }
    }

    @Test func fixedSizeValues() throws {
        let hash = try Hash32(hex: "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(hash.hex == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Hash32(bytes: hash.bytes) == hash)
        #expect(throws: HexError.wrongLength(expected: 32, got: 31)) { _ = try Hash32(hex: "0x" + String(repeating: "00", count: 31)) }
        #expect(Address(low: 0x1000).hex == "0x0000000000000000000000000000000000001000")
        #expect(Address(low: 0x1000) < Address(low: 0x1001))
        #expect(try Hash32(hex: "0x" + String(repeating: "00", count: 31) + "01") > Hash32.zero)
        #expect(MemoryLayout<Address>.size == 20)
    }

    @Test(.enabled(if: VectorFiles.available))
    func eip55ChecksumsMatchEthers() throws {
        let accounts = try #require(try VectorFiles.json("crypto/ethers-accounts.json") as? [[String: Any]])
        #expect(accounts.count == 259)
        for account in accounts {
            let text = try #require(account["address"] as? String)
            let address = try Address(hex: text.lowercased())
            #expect(address.checksummed == text)
            #expect(try Address(checksummed: text) == address)
        }
    }

    @Test func badChecksumIsRefused() throws {
        // EIP-55's own example with one letter's case flipped.
        #expect(throws: AddressError.self) { _ = try Address(checksummed: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") }
        #expect(try Address(checksummed: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".lowercased()) != .zero)
        #expect(try Address(checksummed: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").checksummed
            == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    }
}
