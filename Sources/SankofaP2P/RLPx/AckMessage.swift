import SankofaCrypto
import SankofaPrimitives

/// The recipient's handshake reply (devp2p rlpx.md, "Initial Handshake"; EIP-8):
/// `[recipient-ephemeral-pubkey, recipient-nonce, ack-vsn, …]`.
public struct AckMessage: Equatable, Sendable {
    /// The recipient's ephemeral key for this connection.
    public var ephemeralKey: PublicKey
    /// 32 random bytes.
    public var nonce: [UInt8]
    /// `ack-vsn`; 4 today, higher accepted.
    public var version: UInt64

    /// Size of the pre-EIP-8 plaintext: ephemeral pubkey 64 ‖ nonce 32 ‖ 0x00.
    public static let legacyPlaintextSize = 97

    public init(ephemeralKey: PublicKey, nonce: [UInt8], version: UInt64 = 4) {
        self.ephemeralKey = ephemeralKey
        self.nonce = nonce
        self.version = version
    }

    /// The EIP-8 RLP body (without padding).
    public var rlp: [UInt8] {
        var writer = RLPWriter(capacity: 120)
        writer.writeList { w in
            w.write(bytes: ephemeralKey.rawBytes)
            w.write(bytes: nonce)
            w.write(version)
        }
        return writer.bytes
    }

    /// Reads the leading RLP list of an EIP-8 plaintext; extra elements and padding are ignored.
    public init(eip8 plaintext: [UInt8]) throws(RLPxError) {
        do {
            var outer = RLPReader(plaintext)
            var list = try outer.readList()
            let keyBytes = try list.readFixed(64)
            nonce = Array(try list.readFixed(32))
            version = try AuthMessage.readVersion(&list)
            ephemeralKey = try AuthMessage.key(keyBytes, field: "ack ephemeral key")
        } catch let error as RLPError {
            throw .malformedHandshake(message: "ack body", error)
        } catch let error as RLPxError {
            throw error
        } catch {
            throw .malformedHandshake(message: "ack body", nil)
        }
    }

    /// Reads the fixed 97-byte pre-EIP-8 layout.
    public init(legacy plaintext: [UInt8]) throws(RLPxError) {
        guard plaintext.count == Self.legacyPlaintextSize else {
            throw .malformedHandshake(message: "legacy ack of \(plaintext.count) bytes (expected 97)", nil)
        }
        ephemeralKey = try AuthMessage.key(plaintext[0..<64], field: "ack ephemeral key")
        nonce = Array(plaintext[64..<96])
        version = 4
    }

    /// The pre-EIP-8 plaintext.
    public var legacyPlaintext: [UInt8] { ephemeralKey.rawBytes + nonce + [0x00] }
}
