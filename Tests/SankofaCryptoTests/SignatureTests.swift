import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaCrypto

@Suite("Signatures, recovery and ECDH")
struct SignatureTests {
    @Test func signRecoverRoundTrip() throws {
        for i in 0..<50 {
            let key = try PrivateKey.generate()
            let digest = Keccak256.hash(Array("message \(i)".utf8))
            let signature = key.sign(digest)
            try signature.validate()
            #expect(try Secp256k1.recover(digest, signature) == key.publicKey)
            #expect(try Secp256k1.recoverAddress(digest, signature) == key.address)
            #expect(Secp256k1.verify(digest, signature, publicKey: key.publicKey))
            // Another digest recovers someone else (or nothing).
            let other = Keccak256.hash(Array("other \(i)".utf8))
            #expect((try? Secp256k1.recoverAddress(other, signature)) != key.address)
        }
    }

    @Test func signingIsDeterministic() throws {
        let key = try PrivateKey(hex: "0x4646464646464646464646464646464646464646464646464646464646464646")
        let digest = try Hash32(hex: "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
        let signature = key.sign(digest)
        // EIP-155's example: the same key and signing hash give this r, s and v = 37 (recovery id 0).
        #expect(signature.r.hexString == "0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276")
        #expect(signature.s.hexString == "0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83")
        #expect(signature.recoveryId == 0)
        #expect(key.sign(digest) == signature)
    }

    @Test(.enabled(if: VectorFiles.available))
    func gethEcrecoverVector() throws {
        let all = try #require(try VectorFiles.json("crypto/geth-signature-vectors.json") as? [String: Any])
        let vector = try #require(all["ecrecover"] as? [String: Any])
        let digest = try Hash32(hex: try #require(vector["message_hash"] as? String))
        let signature = try RecoverableSignature(rsv: fixtureBytes(try #require(vector["signature_rsv"] as? String)))
        let recovered = try Secp256k1.recover(digest, signature)
        #expect(Hex.encode(recovered.uncompressed) == vector["expected_pubkey_uncompressed"] as? String)
        #expect(Hex.encode(recovered.compressed) == vector["expected_pubkey_compressed"] as? String)
        #expect(recovered.address.hex == vector["derived_by_helper_address"] as? String)
        #expect(Secp256k1.verify(digest, signature, publicKey: recovered))

        // geth's verify_rejects: extra bytes, truncation, a different public key.
        let rsv = signature.rsv
        #expect(throws: CryptoError.invalidSignature) { _ = try RecoverableSignature(rsv: rsv + [1, 2, 3]) }
        #expect(throws: CryptoError.invalidSignature) { _ = try RecoverableSignature(rsv: rsv.dropLast(2)) }
        var otherKey = recovered.compressed
        otherKey[10] &+= 1
        if let tampered = try? PublicKey(bytes: otherKey) {
            #expect(!Secp256k1.verify(digest, signature, publicKey: tampered))
        }
    }

    @Test(.enabled(if: VectorFiles.available))
    func highSIsRejected() throws {
        let all = try #require(try VectorFiles.json("crypto/geth-signature-vectors.json") as? [String: Any])
        let vector = try #require(all["malleable_high_s"] as? [String: Any])
        let digest = try Hash32(hex: try #require(vector["message_hash"] as? String))
        let rs = fixtureBytes(try #require(vector["signature_rs"] as? String))
        let pub = try PublicKey(bytes: fixtureBytes(try #require(vector["pubkey_compressed"] as? String)))
        for recoveryId in [UInt8(0), 1] {
            let signature = RecoverableSignature(compact: rs, recoveryId: recoveryId)
            #expect(signature.s > RecoverableSignature.halfCurveOrder)
            #expect(throws: CryptoError.highS) { try signature.validate() }
            #expect(throws: CryptoError.highS) { _ = try Secp256k1.recover(digest, signature) }
            #expect(!Secp256k1.verify(digest, signature, publicKey: pub))
        }
    }

    @Test func ownHighSCounterpartIsRejected() throws {
        let key = try PrivateKey.generate()
        let digest = Keccak256.hash([42] as [UInt8])
        let low = key.sign(digest)
        // (r, n - s) with the flipped recovery id is the same point on the curve: valid ECDSA, invalid under EIP-2.
        let high = RecoverableSignature(r: low.r, s: RecoverableSignature.curveOrder - low.s, recoveryId: low.recoveryId ^ 1)
        #expect(throws: CryptoError.highS) { _ = try Secp256k1.recoverAddress(digest, high) }
    }

    @Test func outOfRangeValuesAreRejected() {
        let digest = Hash32.zero
        let cases = [
            RecoverableSignature(r: .zero, s: .one, recoveryId: 0),
            RecoverableSignature(r: .one, s: .zero, recoveryId: 0),
            RecoverableSignature(r: RecoverableSignature.curveOrder, s: .one, recoveryId: 0),
            RecoverableSignature(r: .one, s: .one, recoveryId: 2),
        ]
        for signature in cases {
            #expect(throws: CryptoError.invalidSignature) { _ = try Secp256k1.recover(digest, signature) }
        }
    }

    @Test(.enabled(if: VectorFiles.available))
    func ecdhMatchesEIP8EphemeralSecret() throws {
        let file = try #require(try VectorFiles.json("rlpx/eip8-handshake-vectors.json") as? [String: Any])
        let keys = try #require(file["keys"] as? [String: String])
        let derived = try #require(file["derived_by_helper"] as? [String: Any])
        let a = try PrivateKey(hex: try #require(keys["Ephemeral Key A"]))
        let b = try PrivateKey(hex: try #require(keys["Ephemeral Key B"]))
        let expected = try #require(derived["ephemeral-key (ECDH of ephemeral keys, x coordinate)"] as? String)
        #expect(Hex.encode(try Secp256k1.sharedSecret(privateKey: a, publicKey: b.publicKey)) == expected)
        #expect(Hex.encode(try Secp256k1.sharedSecret(privateKey: b, publicKey: a.publicKey)) == expected)
        #expect(Hex.encode(a.publicKey.rawBytes) == derived["Ephemeral Public Key A"] as? String)
    }
}
