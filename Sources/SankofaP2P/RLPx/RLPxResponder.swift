import SankofaCrypto
import SankofaPrimitives

/// The listening side of the RLPx handshake (devp2p rlpx.md, "Initial Handshake"): it reads auth (EIP-8 or
/// pre-EIP-8), learns and checks the initiator's node key, answers with ack in the same format, and derives the
/// session secrets.
///
///     var responder = try RLPxResponder(staticKey: me)
///     if let used = try responder.readAuth(received) {
///         send(try responder.makeAck()); let secrets = try responder.secrets()
///     }
public struct RLPxResponder: Sendable {
    let staticKey: PrivateKey
    let ephemeralKey: PrivateKey
    let nonce: [UInt8]
    /// The received auth, once read.
    public private(set) var auth: AuthMessage?
    /// The format the initiator used; the ack is sent in the same one.
    public private(set) var format: HandshakeFormat?
    private var authPacket: [UInt8] = []
    private(set) var remoteEphemeralKey: PublicKey?
    /// The ack packet as sent, once made.
    public private(set) var ackPacket: [UInt8]?

    /// A responder with a fresh ephemeral key and nonce unless given (tests only).
    public init(staticKey: PrivateKey, ephemeralKey: PrivateKey? = nil, nonce: [UInt8]? = nil) throws(RLPxError) {
        self.staticKey = staticKey
        if let ephemeralKey {
            self.ephemeralKey = ephemeralKey
        } else {
            self.ephemeralKey = try RLPxInitiator.crypto { () throws(CryptoError) in try PrivateKey.generate() }
        }
        if let nonce {
            self.nonce = nonce
        } else {
            self.nonce = try RLPxInitiator.crypto { () throws(CryptoError) in try SecureRandom.bytes(32) }
        }
    }

    /// The initiator's node key, once auth has been read.
    public var remoteKey: PublicKey? { auth?.initiatorKey }

    /// Reads the auth at the start of `buffer`. Returns nil until it has fully arrived, then how many bytes it
    /// took. Recovers the initiator's ephemeral key from the signature.
    public mutating func readAuth(_ buffer: ArraySlice<UInt8>) throws(RLPxError) -> Int? {
        guard auth == nil else { throw .outOfOrder("auth already read") }
        let message: AuthMessage
        let length: Int
        switch try HandshakePacket.scan(buffer, key: staticKey, legacySize: AuthMessage.legacyPlaintextSize + ECIES.overhead) {
        case .needMore: return nil
        case .legacy(let plaintext, let count): (message, length, format) = (try AuthMessage(legacy: plaintext), count, .legacy)
        case .eip8(let plaintext, let count): (message, length, format) = (try AuthMessage(eip8: plaintext), count, .eip8)
        }
        let staticShared = try RLPxInitiator.crypto { () throws(CryptoError) in
            try Secp256k1.sharedSecret(privateKey: staticKey, publicKey: message.initiatorKey)
        }
        guard let digest = Hash32(bytes: zip(staticShared, message.nonce).map({ $0 ^ $1 })),
              let recovered = try? Secp256k1.recover(digest, message.signature)
        else { throw .invalidAuthSignature }
        remoteEphemeralKey = recovered
        auth = message
        authPacket = Array(buffer[buffer.startIndex..<(buffer.startIndex + length)])
        return length
    }

    /// The ack packet, in the auth's format. Call once, after `readAuth` succeeded.
    public mutating func makeAck() throws(RLPxError) -> [UInt8] {
        guard auth != nil, let format else { throw .outOfOrder("ack before auth") }
        guard ackPacket == nil else { throw .outOfOrder("ack already made") }
        guard let remote = remoteKey else { throw .outOfOrder("ack before auth") }
        let ack = AckMessage(ephemeralKey: ephemeralKey.publicKey, nonce: nonce)
        let packet: [UInt8]
        switch format {
        case .eip8: packet = try HandshakePacket.sealEIP8(ack.rlp, to: remote)
        case .legacy: packet = try HandshakePacket.sealLegacy(ack.legacyPlaintext, to: remote)
        }
        ackPacket = packet
        return packet
    }

    /// The session secrets, once auth was read and ack made.
    public func secrets() throws(RLPxError) -> RLPxSecrets {
        guard let auth, let remoteEphemeralKey, let ackPacket else { throw .outOfOrder("secrets before ack") }
        let ephemeralShared = try RLPxInitiator.crypto { () throws(CryptoError) in
            try Secp256k1.sharedSecret(privateKey: ephemeralKey, publicKey: remoteEphemeralKey)
        }
        return RLPxSecrets(remoteKey: auth.initiatorKey, ephemeralShared: ephemeralShared,
                           initiatorNonce: auth.nonce, recipientNonce: nonce, authPacket: authPacket,
                           ackPacket: ackPacket, isInitiator: false)
    }
}
