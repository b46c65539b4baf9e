import SankofaCrypto
import SankofaPrimitives

/// Why an RLPx handshake or frame was refused (devp2p rlpx.md). Every case is something a remote peer can cause;
/// the connection is dropped, never trapped on.
public enum RLPxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An EIP-8 size prefix announcing fewer bytes than the 113-byte ECIES overhead plus one.
    case handshakePacketTooShort(size: Int)
    /// The ECIES envelope of an auth or ack did not open (wrong recipient, corrupted, garbage).
    case ecies(ECIESError)
    /// The decrypted auth or ack body is not the RLP (or legacy fixed layout) it must be.
    case malformedHandshake(message: String, RLPError?)
    /// The auth signature does not recover to a public key.
    case invalidAuthSignature
    /// A public key in the auth or ack is not a secp256k1 point.
    case invalidPublicKey(field: String)
    /// The peer proved a different static key than the one we dialled.
    case unexpectedRemoteKey(expected: PublicKey, got: PublicKey)
    /// A handshake step was called out of order (a programming error in the caller, reported not trapped).
    case outOfOrder(String)
    /// The frame header's MAC does not match: corruption, a wrong key, or a desynchronised stream.
    case headerMACMismatch
    /// The frame body's MAC does not match.
    case frameMACMismatch
    /// A frame announces more bytes than allowed.
    case frameTooLarge(size: Int, limit: Int)
    /// A symmetric primitive failed inside OpenSSL.
    case cipher(CipherError)

    public var description: String {
        switch self {
        case .handshakePacketTooShort(let size):
            "RLPx handshake packet size prefix \(size) is below the 114-byte ECIES minimum"
        case .ecies(let error): "RLPx handshake packet did not decrypt: \(error)"
        case .malformedHandshake(let message, let rlp):
            "malformed RLPx \(message)" + (rlp.map { ": \($0)" } ?? "")
        case .invalidAuthSignature: "RLPx auth signature does not recover to a public key"
        case .invalidPublicKey(let field): "RLPx handshake \(field) is not a secp256k1 public key"
        case .unexpectedRemoteKey(let expected, let got):
            "remote node key \(got) is not the expected \(expected) (wrong enode id?)"
        case .outOfOrder(let step): "RLPx handshake step out of order: \(step)"
        case .headerMACMismatch: "RLPx frame header MAC mismatch (corrupted or desynchronised stream)"
        case .frameMACMismatch: "RLPx frame body MAC mismatch (corrupted or desynchronised stream)"
        case .frameTooLarge(let size, let limit): "RLPx frame of \(size) bytes exceeds the \(limit)-byte limit"
        case .cipher(let error): "RLPx cipher failure: \(error)"
        }
    }
}
