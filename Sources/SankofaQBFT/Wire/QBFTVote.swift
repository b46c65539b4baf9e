import SankofaPrimitives

/// A proposer's vote, carried in the extraData of the block it proposes, to add a validator or drop one
/// (Besu `Vote`; tallied by `ValidatorVoteTally`).
public struct QBFTVote: Hashable, Sendable {
    /// Add (authorize) or drop.
    public enum Kind: Hashable, Sendable {
        case add
        case drop
    }

    /// The address voted on.
    public var recipient: Address
    public var kind: Kind

    public init(recipient: Address, kind: Kind) {
        self.recipient = recipient
        self.kind = kind
    }

    /// The vote byte QBFT writes for an add vote (Besu `Vote.ADD_BYTE_VALUE`). A drop vote is written as the RLP
    /// empty string `0x80` (Besu `QbftExtraDataCodec.encodeVote` writes null), and Besu also reads a single
    /// `0x00` byte (`Vote.DROP_BYTE_VALUE`) as drop.
    public static let addByte: UInt8 = 0xff

    /// `[recipient, 0xff]` or `[recipient, 0x80]`.
    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(recipient)
            switch kind {
            case .add: w.write(bytes: [Self.addByte])
            case .drop: w.write(bytes: [] as [UInt8])
            }
        }
    }

    /// Reads `[recipient, byte]`: 0xff is add; empty or 0x00 is drop; anything else is refused.
    static func read(from reader: inout RLPReader) throws(QBFTError) -> QBFTVote {
        let (recipient, byte) = try QBFTError.reading("vote") { () throws(RLPError) -> (Address, ArraySlice<UInt8>) in
            var list = try reader.readList()
            let recipient = try list.readAddress()
            let byte = try list.readBytes()
            try list.finish()
            return (recipient, byte)
        }
        switch Array(byte) {
        case []: return QBFTVote(recipient: recipient, kind: .drop)
        case [0x00]: return QBFTVote(recipient: recipient, kind: .drop)
        case [Self.addByte]: return QBFTVote(recipient: recipient, kind: .add)
        default:
            throw .invalidExtraData("vote type \(Hex.encode(byte)) is neither 0xff (add) nor empty/0x00 (drop)")
        }
    }
}
