import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTrie
import Synchronization

/// Why a block was not imported.
public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownParent(Hash32)
    case consensus(ConsensusError)
    case execution(ExecutionError)
    case invalidTransaction(TransactionError)
    case ommersNotAllowed
    /// The parent's state was pruned: the block is too far behind the head to execute.
    case parentStateUnavailable(Hash32)
    /// Under immediate finality (QBFT) a block competes with a final block at the same height.
    case conflictsWithFinalBlock(number: UInt64)
    /// A block was to be built on `expected`, but the head moved on (a peer's block was imported meanwhile).
    case headMoved(expected: Hash32, head: Hash32)

    public var description: String {
        switch self {
        case .unknownParent(let hash): "unknown parent block \(hash.hex)"
        case .consensus(let e): "consensus: \(e)"
        case .execution(let e): "execution: \(e)"
        case .invalidTransaction(let e): "invalid transaction: \(e)"
        case .ommersNotAllowed: "proof-of-authority blocks may not include ommers"
        case .parentStateUnavailable(let hash): "state of parent \(hash.hex) has been pruned"
        case .conflictsWithFinalBlock(let number):
            "block #\(number) competes with a final block at that height: refused (this chain's blocks are final once imported)"
        case .headMoved(let expected, let head):
            "not built: it was to go on \(expected.hex), but the head is now \(head.hex)"
        }
    }
}

/// What happened to an imported block.
public enum ImportOutcome: Sendable, Equatable {
    case alreadyKnown
    /// Stored; it became the head (`reorgDepth` > 0 when it replaced canonical blocks).
    case newHead(reorgDepth: Int)
    /// Stored on a side branch with less weight than the canonical chain.
    case sideBranch
}

/// A change of the canonical chain, for subscribers (RPC `newHeads`/`logs`, the pool, metrics).
public struct HeadEvent: Sendable {
    public let block: Block
    public let receipts: [Receipt]
    /// Blocks that left the canonical chain, newest first (empty without a reorg).
    public let removed: [Block]
}

/// The canonical chain: imports blocks (consensus verification, execution, root checks, one atomic commit),
/// applies the engine's fork choice (the heaviest branch with reorgs for Clique; every block final for QBFT),
/// builds and commits this node's own blocks, and prunes old state per the retention policy.
public actor Blockchain {
    public nonisolated let chain: ChainStore
    public let engine: any ConsensusEngine
    public let executor: BlockExecutor
    public let retention: StateRetention
    /// The canonical head. Readable without entering the actor, so `eth_blockNumber`, every `latest` read and the
    /// consensus services do not queue behind a block import; only the actor writes it.
    public nonisolated var head: BlockHeader { current.withLock { $0 } }
    private nonisolated let current: Mutex<BlockHeader>
    var headTotalDifficulty: UInt256
    /// Head changes fan out to every subscriber; one that stops reading loses its oldest events, not memory.
    let headChanges = Broadcast<HeadEvent>(bufferLimit: 256)
    /// Prune every this many blocks (mark-and-sweep cost is amortised over them).
    let pruneInterval: UInt64 = 256
    /// Proposals executed but not yet committed, so a sealed block is never executed twice.
    nonisolated let executed = ExecutedBlocks()

    /// Opens the chain at its stored head; genesis must already be initialised.
    public init(chain: ChainStore, engine: any ConsensusEngine, executor: BlockExecutor,
                retention: StateRetention = .default) throws {
        guard let head = try chain.headHeader() else { throw ImportError.unknownParent(.zero) }
        self.chain = chain
        self.engine = engine
        self.executor = executor
        self.retention = retention
        self.current = Mutex(head)
        self.headTotalDifficulty = try chain.totalDifficulty(head.hash) ?? head.difficulty
    }

    public var headers: any ChainHeaderReader { StoredHeaders(chain: chain) }

    // MARK: Import

    /// Verifies, executes and stores a block from a peer (or a file). Transactions already recovered by the pool
    /// may be passed in to skip recovery.
    @discardableResult
    public func importBlock(_ block: Block, recovered: [RecoveredTransaction]? = nil) throws -> ImportOutcome {
        let header = block.header
        if try chain.header(block.hash) != nil { return .alreadyKnown }
        guard let parent = try chain.header(header.parentHash) else { throw ImportError.unknownParent(header.parentHash) }
        do { try engine.verifyHeader(header, parent: parent, chain: headers) } catch { throw ImportError.consensus(error) }
        guard block.ommers.isEmpty else { throw ImportError.ommersNotAllowed }
        // Sankofa keeps the genesis base fee for the life of the chain (free gas by default).
        guard header.baseFeePerGas == parent.baseFeePerGas else {
            throw ImportError.consensus(.unsupportedField("baseFeePerGas must stay \(parent.baseFeePerGas?.description ?? "absent")"))
        }

        let parentIsHead = parent.hash == head.hash
        let receipts: [Receipt]
        let commit: StateCommit
        if parentIsHead, let proposal = executed.take(matching: block) {
            (receipts, commit) = (proposal.receipts, proposal.state)
        } else {
            (receipts, commit) = try execute(block, parent: parent, recovered: recovered)
        }
        let parentTD = try chain.totalDifficulty(parent.hash) ?? parent.difficulty
        let totalDifficulty = parentTD + engine.weight(of: header)
        return try store(block, receipts: receipts, state: commit, totalDifficulty: totalDifficulty,
                         parentIsHead: parentIsHead)
    }

    /// Executes `block` on `parent`'s state and checks every root its header commits to. Transactions already
    /// recovered by the pool may be passed in to skip recovery.
    func execute(_ block: Block, parent: BlockHeader,
                 recovered: [RecoveredTransaction]?) throws -> (receipts: [Receipt], state: StateCommit) {
        let header = block.header
        var transactions: [RecoveredTransaction]
        if let recovered {
            transactions = recovered
        } else {
            transactions = []
            transactions.reserveCapacity(block.transactions.count)
            for tx in block.transactions {
                do { transactions.append(try tx.recovered()) } catch { throw ImportError.invalidTransaction(error) }
            }
        }
        let state = try WorldState(reader: chain.store, root: parent.stateRoot, snapshot: parent.hash == head.hash)
        do {
            let outcome = try executor.execute(transactions, header: header, state: state)
            let commit = try state.commit()
            try BlockExecutor.verify(header, against: outcome, stateRoot: commit.root)
            return (outcome.receipts, commit)
        } catch let error as ExecutionError {
            throw ImportError.execution(error)
        } catch let error as TrieError {
            if case .missingNode = error { throw ImportError.parentStateUnavailable(parent.hash) }
            throw error
        }
    }

    /// Writes a verified block and moves the head per the engine's fork choice: under immediate finality only a
    /// child of the head is accepted (and is final at once); on the heaviest chain a heavier branch takes over.
    func store(_ block: Block, receipts: [Receipt], state: StateCommit, totalDifficulty: UInt256,
               parentIsHead: Bool) throws -> ImportOutcome {
        if engine.forkChoice == .immediateFinality {
            guard parentIsHead else { throw ImportError.conflictsWithFinalBlock(number: block.number) }
            var batch = chain.batch(for: block, receipts: receipts, state: state, makeHead: true, finalized: true)
            chain.setTotalDifficulty(totalDifficulty, for: block.hash, in: &batch)
            try chain.store.write(batch, sync: true)
            advance(to: block, receipts: receipts, totalDifficulty: totalDifficulty, removed: [])
            try pruneIfDue()
            return .newHead(reorgDepth: 0)
        }
        guard totalDifficulty > headTotalDifficulty else {
            var batch = chain.batch(for: block, receipts: receipts, state: state, makeHead: false)
            chain.setTotalDifficulty(totalDifficulty, for: block.hash, in: &batch)
            try chain.store.write(batch, sync: true)
            return .sideBranch
        }
        if parentIsHead {
            var batch = chain.batch(for: block, receipts: receipts, state: state, makeHead: true)
            chain.setTotalDifficulty(totalDifficulty, for: block.hash, in: &batch)
            try chain.store.write(batch, sync: true)
            advance(to: block, receipts: receipts, totalDifficulty: totalDifficulty, removed: [])
            try pruneIfDue()
            return .newHead(reorgDepth: 0)
        }
        return try reorganize(onto: block, receipts: receipts, state: state, totalDifficulty: totalDifficulty)
    }

    /// Makes a heavier side branch canonical. The flat snapshot mirrors only the old head, so it is dropped and
    /// rebuilt for the new head.
    func reorganize(onto block: Block, receipts: [Receipt], state: StateCommit, totalDifficulty: UInt256) throws -> ImportOutcome {
        var newBranch = [block]
        var cursor = block.header
        while true {
            guard let parent = try chain.header(cursor.parentHash) else { throw ImportError.unknownParent(cursor.parentHash) }
            if try chain.canonicalHash(parent.number) == parent.hash { break }
            guard let full = try chain.block(parent.hash) else { throw ImportError.unknownParent(parent.hash) }
            newBranch.insert(full, at: 0)
            cursor = parent
        }
        var removed: [Block] = []
        if let first = newBranch.first {
            var number = head.number
            while number >= first.number {
                if let hash = try chain.canonicalHash(number), let old = try chain.block(hash) { removed.append(old) }
                if number == 0 { break }
                number -= 1
            }
        }
        var batch = chain.batch(for: block, receipts: receipts, state: nil, makeHead: false)
        // The state commit was built on a non-head parent, so it carries trie nodes only (no snapshot writes).
        batch.append(contentsOf: state.batch)
        chain.setTotalDifficulty(totalDifficulty, for: block.hash, in: &batch)
        batch.append(contentsOf: try chain.reorgBatch(to: newBranch, oldHead: head))
        batch.delete(.metadata, Schema.snapshotRootKey)
        try chain.store.write(batch, sync: true)
        // Readers see the new head as soon as the database does, not after the snapshot rebuild below.
        current.withLock { $0 = block.header }
        let newHeadState = try WorldState(reader: chain.store, root: block.header.stateRoot, snapshot: false)
        try newHeadState.rebuildSnapshot(into: chain.store)
        // Subscribers see every block of the new branch in order (logs, new heads), with the abandoned blocks
        // attached to the first, so filters and subscriptions can send their logs again with removed: true.
        for (offset, branchBlock) in newBranch.enumerated().dropLast() {
            let branchReceipts = try chain.receipts(branchBlock.hash) ?? []
            let event = HeadEvent(block: branchBlock, receipts: branchReceipts, removed: offset == 0 ? removed : [])
            headChanges.yield(event)
        }
        advance(to: block, receipts: receipts, totalDifficulty: totalDifficulty, removed: newBranch.count == 1 ? removed : [])
        return .newHead(reorgDepth: removed.count)
    }

    func advance(to block: Block, receipts: [Receipt], totalDifficulty: UInt256, removed: [Block]) {
        current.withLock { $0 = block.header }
        executed.removeAll()   // proposals built on the old head can no longer be committed
        headTotalDifficulty = totalDifficulty
        let event = HeadEvent(block: block, receipts: receipts, removed: removed)
        headChanges.yield(event)
    }

    func pruneIfDue() throws {
        guard case .recent = retention, head.number > 0, head.number % pruneInterval == 0 else { return }
        try StatePruner(store: chain.store).prune(chain: chain, retention: retention)
    }

    // MARK: Events

    /// Canonical head changes as they happen.
    public func headEvents() -> AsyncStream<HeadEvent> { headChanges.subscribe() }
}

/// The chain as consensus engines see it: headers by hash and canonical headers by number.
public struct StoredHeaders: ChainHeaderReader {
    public nonisolated let chain: ChainStore

    public init(chain: ChainStore) { self.chain = chain }

    public func header(_ hash: Hash32) throws -> BlockHeader? { try chain.header(hash) }
    public func canonicalHeader(_ number: UInt64) throws -> BlockHeader? { try chain.canonicalHeader(number) }
}
