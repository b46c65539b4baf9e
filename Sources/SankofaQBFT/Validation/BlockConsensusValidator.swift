import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// The consensus checks on a block offered in a PROPOSAL or a ROUND-CHANGE, before execution: it extends this
/// height's parent, has QBFT's fixed fields, lists this height's validators and carries no seals; then the
/// node's `ProposedBlockValidator` executes it.
struct BlockConsensusValidator {
    let context: HeightContext
    let executionValidator: (any ProposedBlockValidator)?

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
        guard extra.commitSeals.isEmpty else { throw MessageRejection("a proposed block must not carry commit seals") }
        guard context.isValidator(header.coinbase) else { throw MessageRejection("block coinbase \(header.coinbase) is not a validator") }
        guard header.timestamp >= context.parent.timestamp else { throw MessageRejection("block timestamp is before its parent's") }
        if let executionValidator {
            do { try executionValidator.validateProposedBlock(block, parent: context.parent) } catch {
                throw MessageRejection("block does not execute: \(error)")
            }
        }
        return extra
    }
}
