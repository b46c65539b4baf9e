import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaCrypto

@Suite("ECIES as devp2p uses it")
struct ECIESTests {
    @Test(arguments: [0, 1, 15, 16, 17, 194, 1000, 70_000])
    func roundTrip(size: Int) throws {
        var random = SplitMix64(seed: UInt64(size) &+ 7)
        let recipient = try PrivateKey.generate()
        let message = random.bytes(size)
        let macData: [UInt8] = [0x01, 0xb3]
        let sealed = try ECIES.encrypt(message, to: recipient.publicKey, sharedMacData: macData)
        #expect(sealed.count == message.count + ECIES.overhead)
        #expect(try ECIES.decrypt(sealed, with: recipient, sharedMacData: macData) == message)
        // The shared MAC data is authenticated: a different one (or none) is refused.
        #expect(throws: ECIESError.macMismatch) { _ = try ECIES.decrypt(sealed, with: recipient) }
    }

    @Test func tamperingAndWrongKeysAreRefused() throws {
        let recipient = try PrivateKey.generate()
        let sealed = try ECIES.encrypt(Array("hello".utf8), to: recipient.publicKey)
        for index in [70, 81, sealed.count - 33, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 0x01
            #expect(throws: ECIESError.macMismatch) { _ = try ECIES.decrypt(tampered, with: recipient) }
        }
        #expect(throws: ECIESError.macMismatch) { _ = try ECIES.decrypt(sealed, with: try PrivateKey.generate()) }
        #expect(throws: ECIESError.tooShort(got: 112)) { _ = try ECIES.decrypt(sealed.prefix(112), with: recipient) }
        var badPoint = sealed
        badPoint[0] = 0x02
        #expect(throws: ECIESError.invalidEphemeralKey) { _ = try ECIES.decrypt(badPoint, with: recipient) }
        var offCurve = sealed
        offCurve[64] ^= 0x01
        #expect(throws: ECIESError.invalidEphemeralKey) { _ = try ECIES.decrypt(offCurve, with: recipient) }
    }

    @Test func fixedEphemeralKeyAndIVAreDeterministic() throws {
        let recipient = try PrivateKey(hex: "0x" + String(repeating: "11", count: 32))
        let ephemeral = try PrivateKey(hex: "0x" + String(repeating: "22", count: 32))
        let iv = [UInt8](repeating: 0x33, count: 16)
        let a = try ECIES.encrypt([1, 2, 3], to: recipient.publicKey, sharedMacData: [], ephemeralKey: ephemeral, iv: iv)
        let b = try ECIES.encrypt([1, 2, 3], to: recipient.publicKey, sharedMacData: [], ephemeralKey: ephemeral, iv: iv)
        #expect(a == b)
        #expect(Array(a[0..<65]) == ephemeral.publicKey.uncompressed)
        #expect(Array(a[65..<81]) == iv)
        #expect(try ECIES.decrypt(a, with: recipient) == [1, 2, 3])
    }

    /// ethereum/tests BasicTests/crypto.json `ecies1`: the legacy RLPx ack of the fjl gist.
    @Test(.enabled(if: VectorFiles.available))
    func ethereumTestsECIESVector() throws {
        let all = try #require(try VectorFiles.json("crypto/crypto.json") as? [String: Any])
        let vector = try #require(all["ecies1"] as? [String: String])
        let key = try PrivateKey(hex: try #require(vector["key"]))
        let plaintext = try ECIES.decrypt(fixtureBytes(try #require(vector["cipher"])), with: key)
        #expect(plaintext == fixtureBytes(try #require(vector["payload"])))
    }

    @Test func concatKDFMatchesItsDefinition() throws {
        let z = [UInt8](repeating: 0xab, count: 32)
        let derived = try ConcatKDF.derive(z, length: 48)
        #expect(Array(derived[0..<32]) == (try SHA256.hash([0, 0, 0, 1], z)))
        #expect(Array(derived[32..<48]) == Array((try SHA256.hash([0, 0, 0, 2], z))[0..<16]))
    }
}
