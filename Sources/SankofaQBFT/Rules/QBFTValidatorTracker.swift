import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// Rebuilds the validator set after any header from the chain (Besu `BlockValidatorProvider` with
/// `VoteTallyUpdater`): start from the validators listed in the last epoch block at or before it (genesis is
/// one), then replay the votes of every later block, each cast by that block's proposer (coinbase).
///
/// Tallies are cached by on-chain hash, so following the head costs one vote per block. Thread-safe.
///
/// In contract mode (`config.validatorContract`) there are no votes: the validators after a header are the
/// contract's list in that header's state, read through `contractSource` (Besu `TransactionValidatorProvider`).
public final class QBFTValidatorTracker: @unchecked Sendable {
    public let config: QBFTConfig
    /// Where contract mode reads the list; nil on a node without state (a light client), which can then only
    /// take each header's own list (see `QBFTHeaderVerifier`).
    public let contractSource: (any ContractValidatorSource)?
    /// Tallies kept in memory.
    public static let cacheCapacity = 512

    private var cache: [Hash32: ValidatorVoteTally] = [:]
    private var cacheOrder: [Hash32] = []
    private let lock = PThreadMutex()

    /// A tracker for `config.epochLength` with an empty cache; `contractSource` serves contract mode.
    public init(config: QBFTConfig, contractSource: (any ContractValidatorSource)? = nil) {
        self.config = config
        self.contractSource = contractSource
    }

    /// The validators in force for the child of `header`, sorted ascending.
    public func validators(after header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> [Address] {
        guard config.usesValidatorContract else { return try tally(after: header, chain: chain).validators }
        guard let contractSource else {
            throw .storage("contract-mode validators after block #\(header.number) need its state, and this node keeps none")
        }
        let validators = try contractSource.validators(inStateOf: header)
        return Array(Set(validators)).sorted()
    }

    /// The validator set and pending votes after `header`. The chain must serve headers by their QBFT on-chain
    /// hash (`QBFTBlockHashing.onChainHash`), which is what `parentHash` holds.
    public func tally(after header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> ValidatorVoteTally {
        var pending: [BlockHeader] = []
        var cursor = header
        var start: ValidatorVoteTally
        while true {
            let hash = try Self.hash(cursor)
            if let cached = lock.withLock({ cache[hash] }) {
                start = cached
                break
            }
            if config.isEpochBlock(cursor.number) {
                start = ValidatorVoteTally(validators: try Self.extraData(cursor).validators)
                remember(start, for: hash)
                break
            }
            pending.append(cursor)
            let parentHash = cursor.parentHash
            let parent: BlockHeader?
            do { parent = try chain.header(parentHash) } catch { throw .storage("\(error)") }
            guard let parent, parent.number &+ 1 == cursor.number else { throw .unknownAncestor(parentHash) }
            cursor = parent
        }
        for block in pending.reversed() {
            if let vote = try Self.extraData(block).vote { start.apply(vote, by: block.coinbase) }
            remember(start, for: try Self.hash(block))
        }
        return start
    }

    private func remember(_ tally: ValidatorVoteTally, for hash: Hash32) {
        lock.withLock {
            if cache.updateValue(tally, forKey: hash) == nil { cacheOrder.append(hash) }
            if cacheOrder.count > Self.cacheCapacity {
                let evicted = cacheOrder.removeFirst()
                cache[evicted] = nil
            }
        }
    }

    static func hash(_ header: BlockHeader) throws(ConsensusError) -> Hash32 {
        do { return try QBFTBlockHashing.onChainHash(header) } catch { throw .invalidExtraData("\(error)") }
    }

    static func extraData(_ header: BlockHeader) throws(ConsensusError) -> QBFTExtraData {
        do { return try QBFTExtraData(rlp: header.extraData) } catch { throw .invalidExtraData("block \(header.number): \(error)") }
    }
}
