import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaCrypto

@Suite("Keys and addresses")
struct KeyAndAddressTests {
    @Test(.enabled(if: VectorFiles.available))
    func ethersPrivateKeysDeriveTheirAddresses() throws {
        let accounts = try #require(try VectorFiles.json("crypto/ethers-accounts.json") as? [[String: Any]])
        #expect(accounts.count == 259)
        for account in accounts {
            let key = try PrivateKey(hex: try #require(account["privateKey"] as? String))
            #expect(key.address.checksummed == account["address"] as? String)
        }
    }

    @Test(.enabled(if: VectorFiles.available))
    func ethereumTestsKeyAddressPairs() throws {
        // keyaddrtest.json's signatures are over an unstated message (see the vectors README), so only the
        // key → address pairs are checked.
        let pairs = try #require(try VectorFiles.json("crypto/keyaddrtest.json") as? [[String: Any]])
        #expect(!pairs.isEmpty)
        for pair in pairs {
            let key = try PrivateKey(hex: try #require(pair["key"] as? String))
            #expect(key.address.hex == "0x" + (try #require(pair["addr"] as? String)))
        }
    }

    @Test func invalidPrivateKeysAreRefused() {
        #expect(throws: CryptoError.invalidPrivateKey) { _ = try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CryptoError.invalidPrivateKey) { _ = try PrivateKey(bytes: [UInt8](repeating: 0xff, count: 32)) }
        #expect(throws: CryptoError.invalidPrivateKey) { _ = try PrivateKey(bytes: [1, 2, 3]) }
        #expect(throws: CryptoError.invalidPrivateKey) { _ = try PrivateKey(hex: "0xnothex") }
        // The group order itself is out of range; order - 1 is the largest valid key.
        let order = RecoverableSignature.curveOrder
        #expect(throws: CryptoError.invalidPrivateKey) { _ = try PrivateKey(bytes: order.bigEndianBytes) }
        #expect((try? PrivateKey(bytes: (order - 1).bigEndianBytes)) != nil)
    }

    @Test func privateKeysNeverPrintTheirSecret() throws {
        let key = try PrivateKey(hex: "0x4646464646464646464646464646464646464646464646464646464646464646")
        for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key)] {
            #expect(!text.contains("4646"))
        }
    }

    @Test func publicKeyEncodingsRoundTrip() throws {
        let key = try PrivateKey.generate()
        let pub = key.publicKey
        #expect(pub.rawBytes.count == 64)
        #expect(try PublicKey(bytes: pub.uncompressed) == pub)
        #expect(try PublicKey(bytes: pub.compressed) == pub)
        #expect(try PublicKey(bytes: pub.rawBytes) == pub)
        var offCurve = pub.rawBytes
        offCurve[63] ^= 1
        #expect(throws: CryptoError.invalidPublicKey) { _ = try PublicKey(bytes: offCurve) }
    }

    @Test func generatedKeysDiffer() throws {
        #expect(try PrivateKey.generate() != PrivateKey.generate())
    }
}
