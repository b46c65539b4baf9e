import SankofaChain
import SankofaPrimitives

/// PROPOSAL's payload: the proposed block for a round (Besu `ProposalPayload`:
/// `[height, round, block, blockAccessList | 0x80]`).
///
/// Besu 26.1 appended an optional block access list, written as RLP null (`0x80`) when absent, and still reads
/// payloads without it. Sankofa writes the null, as current Besu does, reads both forms, and refuses a
/// non-null access list (it never builds one).
public struct ProposalPayload: QBFTPayload {
    public static let messageCode = QBFTMessageCode.proposal
    public var roundIdentifier: RoundIdentifier
    /// The block as proposed: unsealed, its extraData carrying this round.
    public var block: Block

    public init(roundIdentifier: RoundIdentifier, block: Block) {
        self.roundIdentifier = roundIdentifier
        self.block = block
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            roundIdentifier.write(to: &w)
            block.encode(to: &w)
            w.write(bytes: [] as [UInt8])
        }
    }

    public init(from reader: inout RLPReader) throws(QBFTError) {
        var list = try QBFTError.reading("PROPOSAL payload") { () throws(RLPError) in try reader.readList() }
        let (round, rawBlock) = try QBFTError.reading("PROPOSAL payload") {
            () throws(RLPError) -> (RoundIdentifier, ArraySlice<UInt8>) in
            (try RoundIdentifier.read(from: &list), try list.readRawItem())
        }
        roundIdentifier = round
        block = try Block.qbft(rawBlock)
        try Self.readAbsentAccessList(from: &list, in: "PROPOSAL payload")
        try QBFTError.reading("PROPOSAL payload") { () throws(RLPError) in try list.finish() }
    }

    /// Accepts the end of the list or an RLP null where Besu 26.1+ puts its block access list.
    static func readAbsentAccessList(from list: inout RLPReader, in what: String) throws(QBFTError) {
        if list.isAtEnd { return }
        let raw = try QBFTError.reading(what) { () throws(RLPError) in try list.readRawItem() }
        guard Array(raw) == [0x80] else {
            throw .unsupported("block access list in \(what) (EIP-7928); only an absent list (0x80) is accepted")
        }
    }
}

extension Block {
    /// Decodes a block carried inside a QBFT message.
    static func qbft(_ raw: some Collection<UInt8>) throws(QBFTError) -> Block {
        do { return try Block(rlp: Array(raw)) } catch { throw .invalidBlock("\(error)") }
    }
}
