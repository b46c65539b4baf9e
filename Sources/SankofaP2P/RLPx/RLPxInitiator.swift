import SankofaCrypto
import SankofaPrimitives

/// The dialling side of the RLPx handshake (devp2p rlpx.md, "Initial Handshake"): it knows the recipient's
/// node key, sends auth, reads ack and derives the session secrets.
///
///     var initiator = try RLPxInitiator(staticKey: me, remoteKey: them)
///     send(initiator.authPacket)
///     if let (secrets, used) = try initiator.readAck(received) { … }
public struct RLPxInitiator: Sendable {
    /// The node we dial; the handshake fails unless it holds the matching private key.
    public let remoteKey: PublicKey
    /// The auth packet to send, exactly as it goes on the wire (it also seeds the egress MAC).
    public let authPacket: [UInt8]
    let staticKey: PrivateKey
    let ephemeralKey: PrivateKey
    let nonce: [UInt8]

    /// Prepares the auth packet. `ephemeralKey` and `nonce` are fresh random values unless given (tests only).
    public init(staticKey: PrivateKey, remoteKey: PublicKey, format: HandshakeFormat = .eip8,
                ephemeralKey: PrivateKey? = nil, nonce: [UInt8]? = nil) throws(RLPxError) {
        self.staticKey = staticKey
        self.remoteKey = remoteKey
        if let ephemeralKey {
            self.ephemeralKey = ephemeralKey
        } else {
            self.ephemeralKey = try Self.crypto { () throws(CryptoError) in try PrivateKey.generate() }
        }
        if let nonce {
            self.nonce = nonce
        } else {
            self.nonce = try Self.crypto { () throws(CryptoError) in try SecureRandom.bytes(32) }
        }
        let auth = try Self.makeAuth(staticKey: staticKey, remoteKey: remoteKey, ephemeralKey: self.ephemeralKey,
                                     nonce: self.nonce)
        switch format {
        case .eip8: authPacket = try HandshakePacket.sealEIP8(auth.rlp, to: remoteKey)
        case .legacy:
            authPacket = try HandshakePacket.sealLegacy(auth.legacyPlaintext(ephemeralKey: self.ephemeralKey.publicKey),
                                                        to: remoteKey)
        }
    }

    /// The auth message: the ephemeral key signs `ecdh(static keys) ^ nonce`.
    static func makeAuth(staticKey: PrivateKey, remoteKey: PublicKey, ephemeralKey: PrivateKey,
                         nonce: [UInt8]) throws(RLPxError) -> AuthMessage {
        let staticShared = try crypto { () throws(CryptoError) in
            try Secp256k1.sharedSecret(privateKey: staticKey, publicKey: remoteKey)
        }
        guard let digest = Hash32(bytes: zip(staticShared, nonce).map({ $0 ^ $1 })) else {
            throw .outOfOrder("auth nonce must be 32 bytes")
        }
        return AuthMessage(signature: ephemeralKey.sign(digest), initiatorKey: staticKey.publicKey, nonce: nonce)
    }

    /// Reads the ack at the start of `buffer` (EIP-8 or legacy). Returns nil until the whole packet has
    /// arrived, then the secrets and how many bytes the ack took (anything after it is already framed data).
    public func readAck(_ buffer: ArraySlice<UInt8>) throws(RLPxError) -> (secrets: RLPxSecrets, consumed: Int)? {
        let ack: AckMessage
        let length: Int
        switch try HandshakePacket.scan(buffer, key: staticKey, legacySize: AckMessage.legacyPlaintextSize + ECIES.overhead) {
        case .needMore: return nil
        case .legacy(let plaintext, let count): (ack, length) = (try AckMessage(legacy: plaintext), count)
        case .eip8(let plaintext, let count): (ack, length) = (try AckMessage(eip8: plaintext), count)
        }
        let ephemeralShared = try Self.crypto { () throws(CryptoError) in
            try Secp256k1.sharedSecret(privateKey: ephemeralKey, publicKey: ack.ephemeralKey)
        }
        let start = buffer.startIndex
        let secrets = RLPxSecrets(remoteKey: remoteKey, ephemeralShared: ephemeralShared, initiatorNonce: nonce,
                                  recipientNonce: ack.nonce, authPacket: authPacket,
                                  ackPacket: Array(buffer[start..<(start + length)]), isInitiator: true)
        return (secrets, length)
    }

    static func crypto<T>(_ body: () throws(CryptoError) -> T) throws(RLPxError) -> T {
        do { return try body() } catch { throw .invalidPublicKey(field: "key (\(error))") }
    }
}
