import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaCrypto

@Suite("AES, SHA-256 and HMAC through OpenSSL")
struct CipherTests {
    /// NIST SP 800-38A F.5.5 (CTR-AES256.Encrypt), first two blocks.
    @Test func aes256CTRMatchesNIST() throws {
        let key = fixtureBytes("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
        let iv = fixtureBytes("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
        let plaintext = fixtureBytes("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
        let expected = fixtureBytes("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5")
        #expect(try AESCTR(key: key, iv: iv).process(plaintext) == expected)
        // One continuous keystream: odd-sized pieces give the same bytes.
        let stream = try AESCTR(key: key, iv: iv)
        let pieces = stream.process(plaintext[0..<5]) + stream.process(plaintext[5..<21]) + stream.process(plaintext[21...])
        #expect(pieces == expected)
    }

    /// NIST SP 800-38A F.1.5 (ECB-AES256.Encrypt), first block.
    @Test func aes256BlockMatchesNIST() throws {
        let key = fixtureBytes("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
        let cipher = try AESBlockCipher(key: key)
        let block = fixtureBytes("6bc1bee22e409f96e93d7e117393172a")
        #expect(cipher.encryptBlock(block) == fixtureBytes("f3eed1bdb5d2a03c064b5a7e3db181f8"))
        // No state carried between blocks (ECB, padding off).
        #expect(cipher.encryptBlock(block) == fixtureBytes("f3eed1bdb5d2a03c064b5a7e3db181f8"))
    }

    @Test func wrongKeySizesAreRefused() {
        #expect(throws: CipherError.self) { _ = try AESCTR(key: [1, 2, 3]) }
        #expect(throws: CipherError.self) { _ = try AESBlockCipher(key: [UInt8](repeating: 0, count: 16)) }
    }

    /// FIPS 180-2 "abc" and RFC 4231 test case 2.
    @Test func sha256AndHMAC() throws {
        #expect(try SHA256.hash(Array("abc".utf8)) ==
                fixtureBytes("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(try SHA256.hmac(key: Array("Jefe".utf8), Array("what do ya want ".utf8), Array("for nothing?".utf8)) ==
                fixtureBytes("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        #expect(SHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SHA256.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
