import SankofaChain
import SankofaPrimitives

/// ROUND-CHANGE (code 0x15): its author moves to a new round. When it prepared a block in an earlier round it
/// sends that block and the PREPAREs that prove it (its prepared certificate), so the next proposer must
/// re-propose it (Besu `RoundChange`: `[signedPayload, block | [], blockAccessList | 0x80, [prepares…]]`).
///
/// Written as current Besu writes it (with the `0x80` access-list placeholder); read with or without it.
public struct RoundChange: Hashable, Sendable {
    public let signedPayload: SignedPayload<RoundChangePayload>
    /// The prepared block (unsealed, with its prepared round), present exactly when the payload reports one.
    public let preparedBlock: Block?
    public let prepares: [SignedPayload<PreparePayload>]

    public init(signedPayload: SignedPayload<RoundChangePayload>, preparedBlock: Block? = nil,
                prepares: [SignedPayload<PreparePayload>] = []) {
        self.signedPayload = signedPayload
        self.preparedBlock = preparedBlock
        self.prepares = prepares
    }

    /// The validator asking for the round change.
    public var author: Address { signedPayload.author }
    public var roundIdentifier: RoundIdentifier { signedPayload.payload.roundIdentifier }
    public var prepared: PreparedRoundMetadata? { signedPayload.payload.prepared }

    /// The message data: `[signedPayload, block | [], 0x80, [prepares…]]`.
    public var encoded: [UInt8] {
        var writer = RLPWriter(capacity: 512)
        writer.writeList { w in
            signedPayload.encode(to: &w)
            if let preparedBlock { preparedBlock.encode(to: &w) } else { w.writeEmptyList() }
            w.write(bytes: [] as [UInt8])
            w.writeList { list in for prepare in prepares { prepare.encode(to: &list) } }
        }
        return writer.bytes
    }

    /// Decodes the message data strictly (with or without the access-list item), recovering every author.
    public init(rlp input: [UInt8]) throws(QBFTError) {
        var reader = RLPReader(input)
        var list = try QBFTError.reading("ROUND-CHANGE") { () throws(RLPError) in try reader.readList() }
        signedPayload = try SignedPayload<RoundChangePayload>.read(from: &list)
        let rawBlock = try QBFTError.reading("ROUND-CHANGE block") { () throws(RLPError) in try list.readRawItem() }
        preparedBlock = Array(rawBlock) == [0xc0] ? nil : try Block.qbft(rawBlock)
        // Older Besu writes no access-list item: then the prepares list is the last item.
        var rest = list
        let remaining = try QBFTError.reading("ROUND-CHANGE") { () throws(RLPError) -> Int in
            var count = 0
            while !rest.isAtEnd { try rest.skipItem(); count += 1 }
            return count
        }
        if remaining == 2 { try ProposalPayload.readAbsentAccessList(from: &list, in: "ROUND-CHANGE") }
        var prepareList = try QBFTError.reading("ROUND-CHANGE prepares") { () throws(RLPError) in try list.readList() }
        var prepares: [SignedPayload<PreparePayload>] = []
        while !prepareList.isAtEnd { prepares.append(try .read(from: &prepareList)) }
        try QBFTError.reading("ROUND-CHANGE") { () throws(RLPError) in
            try list.finish()
            try reader.finish()
        }
        self.prepares = prepares
    }
}
