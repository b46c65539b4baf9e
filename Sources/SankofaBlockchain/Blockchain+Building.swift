import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaState

/// A block built and executed on a parent but not stored: what a proposer offers, or what a validator executed
/// to vote on a peer's proposal. Committing it stores exactly this result, so nobody executes a block twice.
public struct Proposal: Sendable {
    /// The block, unsealed (or as proposed).
    public let block: Block
    public let receipts: [Receipt]
    /// The executed state on top of the parent's.
    let state: StateCommit
    /// Candidates left out, with the reason (wrong nonce, no gas left, …).
    public let rejected: [(hash: Hash32, error: ExecutionError)]
}

/// A block this node built and sealed, with what it produced.
public struct ProducedBlock: Sendable {
    public let block: Block
    public let receipts: [Receipt]
    /// Candidates left out, with the reason (wrong nonce, no gas left, …).
    public let rejected: [(hash: Hash32, error: ExecutionError)]
}

extension Blockchain {
    /// Builds and executes a block on the current head: `header` carries the consensus fields (prepared by the
    /// engine); execution fills in the roots, gas used and bloom. Nothing is stored; the proposal is remembered by
    /// its hash so that importing the same block (sealed) later does not execute it again.
    public func propose(_ header: BlockHeader, candidates: [RecoveredTransaction]) throws -> Proposal {
        let parent = head
        guard header.parentHash == parent.hash, header.number == parent.number + 1 else {
            throw ImportError.unknownParent(header.parentHash)
        }
        var header = header
        let state = try WorldState(reader: chain.store, root: parent.stateRoot, snapshot: true)
        let built = try executor.build(candidates, header: header, state: state)
        let commit = try state.commit()
        header.gasUsed = built.outcome.gasUsed
        header.transactionsRoot = built.outcome.transactionsRoot
        header.receiptsRoot = built.outcome.receiptsRoot
        header.logsBloom = built.outcome.logsBloom
        header.stateRoot = commit.root
        let proposal = Proposal(block: Block(header: header, transactions: built.included.map(\.transaction)),
                                receipts: built.outcome.receipts, state: commit, rejected: built.rejected)
        executed.remember(proposal)
        return proposal
    }

    /// Executes a block a peer proposed on the current head, without consensus checks (the engine makes those)
    /// and without storing it: a validator votes only for a block whose roots it reproduced. The result is kept for
    /// the import of the sealed block. Senders the pool already recovered may be passed in.
    public func validateProposal(_ block: Block, recovered: [RecoveredTransaction]? = nil) throws {
        let header = block.header
        guard header.parentHash == head.hash else { throw ImportError.unknownParent(header.parentHash) }
        guard block.ommers.isEmpty else { throw ImportError.ommersNotAllowed }
        let (receipts, commit) = try execute(block, parent: head, recovered: recovered)
        executed.remember(Proposal(block: block, receipts: receipts, state: commit, rejected: []))
    }

    /// Stores a proposal that consensus has sealed (`sealed` is the proposal's header with its seals written in),
    /// after checking the seal as every peer will: never store a block the network would refuse.
    @discardableResult
    public func commit(_ proposal: Proposal, sealed: BlockHeader) throws -> ImportOutcome {
        guard let parent = try chain.header(sealed.parentHash) else { throw ImportError.unknownParent(sealed.parentHash) }
        do { try engine.verifyHeader(sealed, parent: parent, chain: headers) } catch { throw ImportError.consensus(error) }
        let block = Block(header: sealed, transactions: proposal.block.transactions)
        if try chain.header(block.hash) != nil { return .alreadyKnown }
        guard parent.hash == head.hash else { return try importBlock(block) }
        let parentTD = try chain.totalDifficulty(parent.hash) ?? parent.difficulty
        return try store(block, receipts: proposal.receipts, state: proposal.state,
                         totalDifficulty: parentTD + engine.weight(of: sealed), parentIsHead: true)
    }

    // MARK: Sealing engines (Clique)

    /// Whether `signer` may seal the next block now, and after what delay (nil: not now — unauthorised or signed
    /// too recently, per the engine's rules, or an engine that does not seal alone).
    public func sealDelay(for signer: Address) throws -> Duration? {
        guard let sealing = engine as? any SealingEngine else { return nil }
        var header = BlockHeader(parentHash: head.hash, coinbase: .zero, stateRoot: .zero, difficulty: .zero,
                                 number: head.number + 1, gasLimit: head.gasLimit, gasUsed: 0, timestamp: head.timestamp,
                                 extraData: [], baseFeePerGas: head.baseFeePerGas)
        do {
            try sealing.prepare(&header, parent: head, signer: signer, chain: headers)
            return try sealing.sealDelay(for: header, signer: signer, chain: headers)
        } catch {
            return nil
        }
    }

    /// Builds, executes, seals and commits the next block on the current head from pool candidates, with an engine
    /// whose validators seal alone. Execution happens once: the node commits the state it just computed.
    /// `expectedParent`: the head the caller planned for; when the head has moved on meanwhile, nothing is built
    /// (`headMoved`), so a block is never sealed on a head its timing was not planned for.
    public func produceBlock(signer key: PrivateKey, candidates: [RecoveredTransaction], timestamp: UInt64,
                             on expectedParent: Hash32? = nil) throws -> ProducedBlock {
        let (proposal, sealed) = try sealBlock(signer: key, candidates: candidates, timestamp: timestamp, on: expectedParent)
        return try commitSealed(proposal, sealed: sealed)
    }

    /// The first half of `produceBlock`: builds, executes and seals the next block but stores nothing, so that a
    /// `SigningGuard` can record the signature before it leaves the process (`commitSealed` is the second half).
    public func sealBlock(signer key: PrivateKey, candidates: [RecoveredTransaction], timestamp: UInt64,
                          on expectedParent: Hash32? = nil) throws -> (proposal: Proposal, sealed: BlockHeader) {
        guard let sealing = engine as? any SealingEngine else {
            throw ImportError.consensus(.unsupportedField("this engine's blocks are produced by its consensus service"))
        }
        let parent = head
        if let expectedParent, expectedParent != parent.hash {
            throw ImportError.headMoved(expected: expectedParent, head: parent.hash)
        }
        var header = BlockHeader(parentHash: parent.hash, coinbase: .zero, stateRoot: .zero, difficulty: .zero,
                                 number: parent.number + 1, gasLimit: parent.gasLimit, gasUsed: 0,
                                 timestamp: max(timestamp, parent.timestamp), extraData: [],
                                 baseFeePerGas: parent.baseFeePerGas)
        do { try sealing.prepare(&header, parent: parent, signer: key.address, chain: headers) } catch {
            throw ImportError.consensus(error)
        }
        let proposal = try propose(header, candidates: candidates)
        do { return (proposal, try sealing.seal(proposal.block.header, with: key)) } catch { throw ImportError.consensus(error) }
    }

    /// Stores a block `sealBlock` made (it becomes the head, and peers hear of it).
    public func commitSealed(_ proposal: Proposal, sealed: BlockHeader) throws -> ProducedBlock {
        try commit(proposal, sealed: sealed)
        return ProducedBlock(block: Block(header: sealed, transactions: proposal.block.transactions),
                             receipts: proposal.receipts, rejected: proposal.rejected)
    }
}

/// Blocks executed but not yet stored, by block hash (for BFT headers the hash leaves out round and seals, so the
/// sealed block finds its proposal). Bounded: a handful of rounds' proposals per height.
final class ExecutedBlocks: @unchecked Sendable {
    static let capacity = 8
    private var entries: [(hash: Hash32, proposal: Proposal)] = []
    private let lock = PThreadMutex()

    func remember(_ proposal: Proposal) {
        lock.withLock {
            entries.removeAll { $0.hash == proposal.block.hash }
            entries.append((proposal.block.hash, proposal))
            if entries.count > Self.capacity { entries.removeFirst() }
        }
    }

    /// The executed proposal of `block`, if its body and execution results are the ones `block` commits to.
    func take(matching block: Block) -> Proposal? {
        lock.withLock {
            guard let index = entries.firstIndex(where: { $0.hash == block.hash }) else { return nil }
            let proposal = entries.remove(at: index).proposal
            let mine = proposal.block.header, theirs = block.header
            guard mine.stateRoot == theirs.stateRoot, mine.transactionsRoot == theirs.transactionsRoot,
                  mine.receiptsRoot == theirs.receiptsRoot, mine.gasUsed == theirs.gasUsed,
                  mine.logsBloom == theirs.logsBloom, mine.parentHash == theirs.parentHash,
                  proposal.block.transactions == block.transactions else { return nil }
            return proposal
        }
    }

    func removeAll() { lock.withLock { entries.removeAll() } }

    var count: Int { lock.withLock { entries.count } }
}
