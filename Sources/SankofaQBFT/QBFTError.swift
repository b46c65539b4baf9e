import SankofaPrimitives

/// Why QBFT bytes (a header's extraData or a consensus message from a peer) were refused. Every decoding path
/// reports one of these instead of trapping, so a peer can only get its message dropped and counted.
public enum QBFTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not the RLP shape Besu writes for `what` (extraData, a payload, a message).
    case malformed(what: String, RLPError)
    /// extraData decoded as RLP but breaks a QBFT rule (empty input, bad vote byte, round out of range…).
    case invalidExtraData(String)
    /// A signature (message signature or commit seal) is not 65 bytes `r ‖ s ‖ v` with v ∈ {0, 1}, is high-s
    /// where Besu requires low-s, or recovers to no key.
    case invalidSignature(String)
    /// A devp2p message code outside QBFT's 0x12–0x15 (Besu `QbftV1`).
    case unknownMessageCode(Int)
    /// A field this implementation does not produce or accept yet (a non-empty block access list).
    case unsupported(String)
    /// The proposed block inside a message cannot be decoded.
    case invalidBlock(String)

    public var description: String {
        switch self {
        case .malformed(let what, let error): "malformed QBFT \(what): \(error)"
        case .invalidExtraData(let why): "invalid QBFT extraData: \(why)"
        case .invalidSignature(let why): "invalid QBFT signature: \(why)"
        case .unknownMessageCode(let code): "unknown QBFT message code \(code): expected 0x12 (PROPOSAL) to 0x15 (ROUND-CHANGE)"
        case .unsupported(let what): "unsupported QBFT field: \(what)"
        case .invalidBlock(let why): "invalid block in QBFT message: \(why)"
        }
    }

    /// Runs an RLP-reading body and labels any `RLPError` with `what`.
    static func reading<T>(_ what: String, _ body: () throws(RLPError) -> T) throws(QBFTError) -> T {
        do { return try body() } catch { throw .malformed(what: what, error) }
    }
}
