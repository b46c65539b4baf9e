import SankofaCrypto
import SankofaPrimitives

/// PREPARE (code 0x13) on the wire: just the signed payload (Besu `Prepare`).
public typealias Prepare = SignedPayload<PreparePayload>
/// COMMIT (code 0x14) on the wire: just the signed payload (Besu `Commit`).
public typealias Commit = SignedPayload<CommitPayload>

/// Any of the four QBFT messages, decoded from a devp2p message code and its data (Besu `QbftMessageDecoder`).
public enum QBFTMessage: Hashable, Sendable {
    case proposal(Proposal)
    case prepare(Prepare)
    case commit(Commit)
    case roundChange(RoundChange)

    /// Decodes `data` as the message `code` names. Every failure is a thrown `QBFTError`.
    public init(code: Int, data: [UInt8]) throws(QBFTError) {
        guard let known = UInt8(exactly: code).flatMap(QBFTMessageCode.init(rawValue:)) else {
            throw .unknownMessageCode(code)
        }
        switch known {
        case .proposal: self = .proposal(try Proposal(rlp: data))
        case .prepare: self = .prepare(try Self.single(data))
        case .commit: self = .commit(try Self.single(data))
        case .roundChange: self = .roundChange(try RoundChange(rlp: data))
        }
    }

    private static func single<P: QBFTPayload>(_ data: [UInt8]) throws(QBFTError) -> SignedPayload<P> {
        var reader = RLPReader(data)
        let signed = try SignedPayload<P>.read(from: &reader)
        try QBFTError.reading("\(P.messageCode)") { () throws(RLPError) in try reader.finish() }
        return signed
    }

    /// The devp2p message code this message travels under.
    public var code: QBFTMessageCode {
        switch self {
        case .proposal: .proposal
        case .prepare: .prepare
        case .commit: .commit
        case .roundChange: .roundChange
        }
    }

    /// The message data (what follows the code in the devp2p frame).
    public var encoded: [UInt8] {
        switch self {
        case .proposal(let message): message.encoded
        case .prepare(let message): message.encoded
        case .commit(let message): message.encoded
        case .roundChange(let message): message.encoded
        }
    }

    /// The validator that signed the message.
    public var author: Address {
        switch self {
        case .proposal(let message): message.author
        case .prepare(let message): message.author
        case .commit(let message): message.author
        case .roundChange(let message): message.author
        }
    }

    public var roundIdentifier: RoundIdentifier {
        switch self {
        case .proposal(let message): message.roundIdentifier
        case .prepare(let message): message.payload.roundIdentifier
        case .commit(let message): message.payload.roundIdentifier
        case .roundChange(let message): message.roundIdentifier
        }
    }
}
