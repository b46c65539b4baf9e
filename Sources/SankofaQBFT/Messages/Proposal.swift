import SankofaChain
import SankofaPrimitives

/// PROPOSAL (code 0x12): the round's proposer offers a block. Beyond round 0 it carries its justification: a
/// quorum of signed ROUND-CHANGE payloads for this round and, when one of them reports a prepared block, the
/// quorum of PREPAREs that prepared it (Besu `Proposal`: `[signedPayload, [[roundChanges…], [prepares…]]]`).
public struct Proposal: Hashable, Sendable {
    public let signedPayload: SignedPayload<ProposalPayload>
    public let roundChanges: [SignedPayload<RoundChangePayload>]
    public let prepares: [SignedPayload<PreparePayload>]

    public init(signedPayload: SignedPayload<ProposalPayload>, roundChanges: [SignedPayload<RoundChangePayload>] = [],
                prepares: [SignedPayload<PreparePayload>] = []) {
        self.signedPayload = signedPayload
        self.roundChanges = roundChanges
        self.prepares = prepares
    }

    /// The proposer that signed the proposal.
    public var author: Address { signedPayload.author }
    public var roundIdentifier: RoundIdentifier { signedPayload.payload.roundIdentifier }
    public var block: Block { signedPayload.payload.block }

    /// The message data: `[signedPayload, [[roundChanges…], [prepares…]]]`.
    public var encoded: [UInt8] {
        var writer = RLPWriter(capacity: 1024)
        writer.writeList { w in
            signedPayload.encode(to: &w)
            w.writeList { justification in
                justification.writeList { list in for rc in roundChanges { rc.encode(to: &list) } }
                justification.writeList { list in for prepare in prepares { prepare.encode(to: &list) } }
            }
        }
        return writer.bytes
    }

    /// Decodes the message data strictly, recovering the author of every signed payload in it.
    public init(rlp input: [UInt8]) throws(QBFTError) {
        var reader = RLPReader(input)
        var list = try QBFTError.reading("PROPOSAL") { () throws(RLPError) in try reader.readList() }
        signedPayload = try SignedPayload<ProposalPayload>.read(from: &list)
        var justification = try QBFTError.reading("PROPOSAL justification") { () throws(RLPError) in try list.readList() }
        var rcList = try QBFTError.reading("PROPOSAL round changes") { () throws(RLPError) in try justification.readList() }
        var roundChanges: [SignedPayload<RoundChangePayload>] = []
        while !rcList.isAtEnd { roundChanges.append(try .read(from: &rcList)) }
        var prepareList = try QBFTError.reading("PROPOSAL prepares") { () throws(RLPError) in try justification.readList() }
        var prepares: [SignedPayload<PreparePayload>] = []
        while !prepareList.isAtEnd { prepares.append(try .read(from: &prepareList)) }
        try QBFTError.reading("PROPOSAL") { () throws(RLPError) in
            try justification.finish()
            try list.finish()
            try reader.finish()
        }
        self.roundChanges = roundChanges
        self.prepares = prepares
    }
}
