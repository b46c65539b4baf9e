import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaState

/// A block this node built and sealed, with what it produced.
public struct ProducedBlock: Sendable {
    public let block: Block
    public let receipts: [Receipt]
    /// Candidates left out, with the reason (wrong nonce, no gas left, …).
    public let rejected: [(hash: Hash32, error: ExecutionError)]
}

extension Blockchain {
    /// Whether `signer` may seal the next block now, and after what delay (nil: not now — unauthorised or signed
    /// too recently, per the engine's rules).
    public func sealDelay(for signer: Address) throws -> Duration? {
        var header = BlockHeader(parentHash: head.hash, coinbase: .zero, stateRoot: .zero, difficulty: .zero,
                                 number: head.number + 1, gasLimit: head.gasLimit, gasUsed: 0, timestamp: head.timestamp,
                                 extraData: [], baseFeePerGas: head.baseFeePerGas)
        do {
            try engine.prepare(&header, parent: head, signer: signer, chain: headers)
            return try engine.sealDelay(for: header, signer: signer, chain: headers)
        } catch {
            return nil
        }
    }

    /// Builds, executes, seals and commits the next block on the current head from pool candidates. Execution
    /// happens once: the node trusts its own block, so it commits the state it just computed.
    public func produceBlock(signer key: PrivateKey, candidates: [RecoveredTransaction], timestamp: UInt64) throws -> ProducedBlock {
        let parent = head
        var header = BlockHeader(parentHash: parent.hash, coinbase: .zero, stateRoot: .zero, difficulty: .zero,
                                 number: parent.number + 1, gasLimit: parent.gasLimit, gasUsed: 0,
                                 timestamp: max(timestamp, parent.timestamp), extraData: [],
                                 baseFeePerGas: parent.baseFeePerGas)
        do { try engine.prepare(&header, parent: parent, signer: key.address, chain: headers) } catch {
            throw ImportError.consensus(error)
        }
        let state = try WorldState(reader: chain.store, root: parent.stateRoot, snapshot: true)
        let built = try executor.build(candidates, header: header, state: state)
        let commit = try state.commit()
        header.gasUsed = built.outcome.gasUsed
        header.transactionsRoot = built.outcome.transactionsRoot
        header.receiptsRoot = built.outcome.receiptsRoot
        header.logsBloom = built.outcome.logsBloom
        header.stateRoot = commit.root
        let sealed: BlockHeader
        do {
            sealed = try engine.seal(header, with: key)
            // Our own block must pass the checks every peer will apply (signer authorised, not signed recently,
            // difficulty for its turn): never store a block the network would refuse.
            try engine.verifyHeader(sealed, parent: parent, chain: headers)
        } catch {
            throw ImportError.consensus(error)
        }
        let block = Block(header: sealed, transactions: built.included.map(\.transaction))
        let parentTD = try chain.totalDifficulty(parent.hash) ?? parent.difficulty
        _ = try store(block, receipts: built.outcome.receipts, state: commit,
                      totalDifficulty: parentTD + engine.weight(of: sealed), parentIsHead: true)
        return ProducedBlock(block: block, receipts: built.outcome.receipts, rejected: built.rejected)
    }
}
