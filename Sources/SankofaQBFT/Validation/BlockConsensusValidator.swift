import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// The consensus checks on a block offered in a PROPOSAL or a ROUND-CHANGE, before execution: it extends this
/// height's parent, has QBFT's fixed fields, lists this height's validators and carries no seals; then the
/// node's `ProposedBlockValidator` executes it.
struct BlockConsensusValidator {
    let context: HeightContext
    let executionValidator: (any ProposedBlockValidator)?
    /// The block period: a proposal may not come sooner after its parent (Besu `TimestampMoreRecentThanParent`).
    var blockPeriodSeconds: UInt64 = 0
    /// The local time in seconds, for the 1-second future bound (Besu `TimestampBoundedByFutureParameter`); nil
    /// skips the check.
    var nowSeconds: (() -> UInt64)?
    /// Contract mode: validators come from the Governance contract, so a block carrying a header vote is refused
    /// here rather than only when its sealed header fails import.
    var refusesVotes = false

    /// Returns the parsed extraData.
    @discardableResult
    func validate(_ block: Block) throws(MessageRejection) -> QBFTExtraData {
        let header = block.header
        guard header.number == context.height else {
            throw MessageRejection("block number \(header.number), the height is \(context.height)")
        }
        guard header.parentHash == context.parentHash else {
            throw MessageRejection("block parent \(header.parentHash) is not \(context.parentHash)")
        }
        let extra: QBFTExtraData
        do { extra = try QBFTHeaderVerifier.verifyStandaloneFields(header) } catch { throw MessageRejection("\(error)") }
        guard extra.validators == context.validators else { throw MessageRejection("block lists validators \(extra.validators)") }
        if refusesVotes, let vote = extra.vote {
            throw MessageRejection("block votes on \(vote.recipient), but validators come from the contract, not header votes")
        }
        guard extra.commitSeals.isEmpty else { throw MessageRejection("a proposed block must not carry commit seals") }
        guard context.isValidator(header.coinbase) else { throw MessageRejection("block coinbase \(header.coinbase) is not a validator") }
        guard header.timestamp >= context.parent.timestamp &+ blockPeriodSeconds else {
            throw MessageRejection("block timestamp \(header.timestamp) is within \(blockPeriodSeconds) s of its parent's")
        }
        if let nowSeconds, header.timestamp > nowSeconds() &+ QBFTHeaderVerifier.allowedFutureSeconds {
            throw MessageRejection("block timestamp \(header.timestamp) is in the future")
        }
        if let executionValidator {
            do { try executionValidator.validateProposedBlock(block, parent: context.parent) } catch {
                throw MessageRejection("block does not execute: \(error)")
            }
        }
        return extra
    }
}
