import Foundation
import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives

/// Clique proof-of-authority (EIP-225): authorized signers take turns sealing blocks, and vote signers in and
/// out through the coinbase and nonce of the blocks they seal.
///
/// Thread-safe: the caches and proposals sit behind locks, and snapshots are immutable values, so the import
/// task, the block producer and RPC handlers may share one engine. Two callers rebuilding the same snapshot at
/// once only duplicate work.
public final class CliqueEngine: SealingEngine, @unchecked Sendable {
    /// Block period and epoch length.
    public let config: CliqueConfig
    /// Where snapshots are persisted at checkpoints and every `persistInterval` blocks.
    public let store: any CliqueSnapshotStore
    /// Seconds since the Unix epoch; injectable so tests control "now".
    let clock: @Sendable () -> UInt64

    /// Snapshots are also persisted every this many blocks (geth `checkpointInterval`).
    public static let persistInterval: UInt64 = 1024
    /// Snapshots kept in memory (geth `inmemorySnapshots`).
    public static let cachedSnapshots = 128
    /// Recovered signers kept in memory by block hash (geth `inmemorySignatures`).
    public static let cachedSigners = 4096
    /// Beyond this many headers to replay, a checkpoint's signer list is trusted instead (geth
    /// `FullImmutabilityThreshold`): older blocks are final.
    public static let immutabilityThreshold = 90_000
    /// Per-signer out-of-turn delay unit (geth `wiggleTime`).
    public static let wiggleUnit: Duration = .milliseconds(500)

    let snapshots = LRUCache<Hash32, Snapshot>(capacity: CliqueEngine.cachedSnapshots)
    let signersByBlock = LRUCache<Hash32, Address>(capacity: CliqueEngine.cachedSigners)
    private var pendingProposals: [Address: Bool] = [:]
    private let lock = PThreadMutex()

    /// An engine for a chain with `config`, persisting snapshots into `store`. `clock` gives the current Unix
    /// time in seconds (the system clock by default) for the future-block check and block timestamps.
    public init(config: CliqueConfig, store: any CliqueSnapshotStore = InMemoryCliqueSnapshotStore(),
                clock: @escaping @Sendable () -> UInt64 = WallClock.unixSeconds) {
        self.config = config
        self.store = store
        self.clock = clock
    }


    // MARK: HeaderVerifier

    /// The signer recovered from the seal, cached by block hash (EIP-225 `ecrecover` of the seal hash).
    public func author(of header: BlockHeader) throws(ConsensusError) -> Address {
        let hash = header.hash
        if let known = signersByBlock.value(for: hash) { return known }
        let signer = try CliqueSeal.recoverSigner(of: header)
        signersByBlock.insert(signer, for: hash)
        return signer
    }

    /// Recovers the batch's sealers on every core into the signer cache (EIP-225 verification needs each one once).
    public func precompute(verifying headers: [BlockHeader]) {
        guard headers.count > 1 else { return }
        let lanes = min(headers.count, 2 * ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for index in stride(from: lane, to: headers.count, by: lanes) { _ = try? author(of: headers[index]) }
        }
    }

    // MARK: ConsensusEngine

    /// The signers allowed to seal the child of `header`.
    public func validators(after header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> [Address] {
        try snapshot(at: header, chain: chain).signers
    }

    /// Clique keeps the heaviest chain: reorgs onto a branch with more in-turn blocks are possible (EIP-225).
    public var forkChoice: ForkChoice { .heaviestChain }

    /// Clique's fork-choice weight: the header's difficulty (2 in turn, 1 out of turn), summed as total difficulty.
    public func weight(of header: BlockHeader) -> UInt256 { header.difficulty }

    /// The signers after the block `hash` (RPC `clique_getSignersAtHash`).
    public func signers(at hash: Hash32, chain: any ChainHeaderReader) throws(ConsensusError) -> [Address] {
        try snapshot(at: hash, chain: chain).signers
    }

    /// The full voting snapshot after the block `hash` (RPC `clique_getSnapshotAtHash`).
    public func snapshot(at hash: Hash32, chain: any ChainHeaderReader) throws(ConsensusError) -> Snapshot {
        if let cached = snapshots.value(for: hash) { return cached }
        guard let header = try read({ try chain.header(hash) }) else { throw .unknownAncestor(hash) }
        return try snapshot(at: header, chain: chain)
    }

    // MARK: Proposals (RPC clique_propose / clique_discard / clique_proposals)

    /// Makes the local signer vote to add (`authorize`) or drop `address` in the blocks it seals, whenever
    /// that vote would change something (EIP-225 §Voting).
    public func propose(_ address: Address, authorize: Bool) {
        lock.withLock { pendingProposals[address] = authorize }
    }

    /// Stops voting on `address`.
    public func discard(_ address: Address) {
        lock.withLock { pendingProposals[address] = nil }
    }

    /// The local signer's standing proposals: address → authorize.
    public var proposals: [Address: Bool] { lock.withLock { pendingProposals } }

    /// Turns an untyped chain or store failure into `.storage`.
    func read<T>(_ body: () throws -> T) throws(ConsensusError) -> T {
        do { return try body() } catch { throw .storage("\(error)") }
    }
}

extension CliqueEngine {
    /// The initial signers a Clique genesis lists in its extraData (vanity ‖ signers ‖ empty seal, EIP-225).
    public static func genesisValidators(_ genesis: GenesisFile) throws(ConsensusError) -> [Address] {
        try CliqueExtraData(parsing: genesis.extraData, checkpoint: true).signers
    }
}
