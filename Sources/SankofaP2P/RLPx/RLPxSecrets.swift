import SankofaCrypto
import SankofaPrimitives

/// The session keys both sides derive once the handshake is done (devp2p rlpx.md, "Initial Handshake"):
///
///     shared-secret = keccak256(ephemeral-key ‖ keccak256(recipient-nonce ‖ initiator-nonce))
///     aes-secret    = keccak256(ephemeral-key ‖ shared-secret)
///     mac-secret    = keccak256(ephemeral-key ‖ aes-secret)
///     egress-mac    = keccak256.init((mac-secret ^ remote-nonce) ‖ packet we sent)
///     ingress-mac   = keccak256.init((mac-secret ^ own-nonce) ‖ packet we received)
///
/// where `ephemeral-key` is the ECDH x coordinate of the two ephemeral keys and the packets are the complete
/// auth and ack bytes as sent, EIP-8 size prefix included.
public struct RLPxSecrets: Sendable {
    /// The peer's static (node) key, proven by the handshake.
    public let remoteKey: PublicKey
    /// AES-256-CTR key for frames, both directions (each with its own keystream from IV zero).
    public let aesSecret: [UInt8]
    /// AES-256 key of the frame MAC construction.
    public let macSecret: [UInt8]
    /// The running MAC over what we send.
    public let egressMAC: Keccak256
    /// The running MAC over what we receive.
    public let ingressMAC: Keccak256
    /// `keccak256(ephemeral-key ‖ keccak256(recipient-nonce ‖ initiator-nonce))`, kept for tests and session
    /// resumption tokens.
    public let sharedSecret: [UInt8]

    /// Derives the secrets from one side's view of a completed handshake.
    init(remoteKey: PublicKey, ephemeralShared: [UInt8], initiatorNonce: [UInt8], recipientNonce: [UInt8],
         authPacket: [UInt8], ackPacket: [UInt8], isInitiator: Bool) {
        self.remoteKey = remoteKey
        let nonceHash = Keccak256.digest(recipientNonce + initiatorNonce)
        sharedSecret = Keccak256.digest(ephemeralShared + nonceHash)
        aesSecret = Keccak256.digest(ephemeralShared + sharedSecret)
        macSecret = Keccak256.digest(ephemeralShared + aesSecret)

        let macForAuth = Self.seededMAC(macSecret: macSecret, nonce: recipientNonce, packet: authPacket)
        let macForAck = Self.seededMAC(macSecret: macSecret, nonce: initiatorNonce, packet: ackPacket)
        egressMAC = isInitiator ? macForAuth : macForAck
        ingressMAC = isInitiator ? macForAck : macForAuth
    }

    /// `keccak256.init((mac-secret ^ nonce) ‖ packet)`.
    static func seededMAC(macSecret: [UInt8], nonce: [UInt8], packet: [UInt8]) -> Keccak256 {
        var hash = Keccak256()
        hash.update(zip(macSecret, nonce).map { $0 ^ $1 })
        hash.update(packet)
        return hash
    }
}
