import SankofaCrypto
import SankofaPrimitives

/// The initiator's first handshake message (devp2p rlpx.md, "Initial Handshake"; EIP-8 for the RLP form):
/// `[signature, initiator-pubkey, initiator-nonce, auth-vsn, …]`. The signature is the initiator's ephemeral
/// key signing `static-shared-secret ^ initiator-nonce`, so the recipient recovers the ephemeral public key.
public struct AuthMessage: Equatable, Sendable {
    /// 65 bytes `r ‖ s ‖ v` with v = 0 or 1.
    public var signature: RecoverableSignature
    /// The initiator's static (node) key.
    public var initiatorKey: PublicKey
    /// 32 random bytes.
    public var nonce: [UInt8]
    /// `auth-vsn`; 4 today. Higher versions are accepted (EIP-8 forward compatibility).
    public var version: UInt64

    /// Size of the pre-EIP-8 plaintext: sig 65 ‖ keccak(ephemeral-pubkey) 32 ‖ pubkey 64 ‖ nonce 32 ‖ 0x00.
    public static let legacyPlaintextSize = 194

    public init(signature: RecoverableSignature, initiatorKey: PublicKey, nonce: [UInt8], version: UInt64 = 4) {
        self.signature = signature
        self.initiatorKey = initiatorKey
        self.nonce = nonce
        self.version = version
    }

    /// The EIP-8 RLP body (without padding).
    public var rlp: [UInt8] {
        var writer = RLPWriter(capacity: 200)
        writer.writeList { w in
            w.write(bytes: signature.rsv)
            w.write(bytes: initiatorKey.rawBytes)
            w.write(bytes: nonce)
            w.write(version)
        }
        return writer.bytes
    }

    /// Reads the EIP-8 body: the leading RLP list of `plaintext`; extra list elements and trailing padding are
    /// ignored, as EIP-8 requires.
    public init(eip8 plaintext: [UInt8]) throws(RLPxError) {
        do {
            var outer = RLPReader(plaintext)
            var list = try outer.readList()
            let signatureBytes = try list.readFixed(65)
            let keyBytes = try list.readFixed(64)
            nonce = Array(try list.readFixed(32))
            version = try Self.readVersion(&list)
            signature = try Self.signature(signatureBytes)
            initiatorKey = try Self.key(keyBytes, field: "auth initiator key")
        } catch let error as RLPError {
            throw .malformedHandshake(message: "auth body", error)
        } catch let error as RLPxError {
            throw error
        } catch {
            throw .malformedHandshake(message: "auth body", nil)
        }
    }

    /// Reads the fixed 194-byte pre-EIP-8 layout. The keccak of the ephemeral key is not checked (the
    /// signature already binds it), matching geth.
    public init(legacy plaintext: [UInt8]) throws(RLPxError) {
        guard plaintext.count == Self.legacyPlaintextSize else {
            throw .malformedHandshake(message: "legacy auth of \(plaintext.count) bytes (expected 194)", nil)
        }
        signature = try Self.signature(plaintext[0..<65])
        initiatorKey = try Self.key(plaintext[97..<161], field: "auth initiator key")
        nonce = Array(plaintext[161..<193])
        version = 4
    }

    /// The pre-EIP-8 plaintext; `ephemeralKey` is the public key the signature recovers to.
    public func legacyPlaintext(ephemeralKey: PublicKey) -> [UInt8] {
        signature.rsv + Keccak256.digest(ephemeralKey.rawBytes) + initiatorKey.rawBytes + nonce + [0x00]
    }

    static func readVersion(_ list: inout RLPReader) throws(RLPError) -> UInt64 {
        // A version wider than 8 bytes is not one we could speak anyway; clamp rather than refuse.
        let bytes = try list.readBytes()
        guard bytes.count <= 8 else { return .max }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func signature(_ bytes: ArraySlice<UInt8>) throws(RLPxError) -> RecoverableSignature {
        guard let signature = try? RecoverableSignature(rsv: bytes), bytes.last.map({ $0 <= 1 }) == true else {
            throw .invalidAuthSignature
        }
        return signature
    }

    static func key(_ bytes: ArraySlice<UInt8>, field: String) throws(RLPxError) -> PublicKey {
        guard let key = try? PublicKey(bytes: bytes) else { throw .invalidPublicKey(field: field) }
        return key
    }
}
