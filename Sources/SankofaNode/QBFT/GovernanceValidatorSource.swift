import SankofaChain
import SankofaConsensus
import SankofaContracts
import SankofaExecution
import SankofaPrimitives
import SankofaQBFT
import SankofaState
import SankofaStorage

/// QBFT contract mode's port to state: the Governance contract's validator list (actions 1 and 2) in the state a
/// header commits to, read from the trie (never the flat snapshot, which only mirrors the head).
///
/// Lists are cached by state root: a height reads its parent's list when it starts, when its block is verified
/// and when RPC asks, and a state root never changes its contents. `@unchecked Sendable` is safe: the store is
/// thread-safe, each read opens its own `WorldState`, and the cache is behind a lock.
final class GovernanceValidatorSource: ContractValidatorSource, @unchecked Sendable {
    private let store: any KeyValueReader
    private let cache = Locked<[Hash32: [Address]]>([:])
    static let cacheCapacity = 64

    init(store: any KeyValueReader) {
        self.store = store
    }

    func validators(inStateOf header: BlockHeader) throws(ConsensusError) -> [Address] {
        if let cached = cache.withLock({ $0[header.stateRoot] }) { return cached }
        let validators: [Address]
        do {
            let state = try WorldState(reader: store, root: header.stateRoot, snapshot: false)
            let slots = GenesisSlots(storage: WorldStateContractStorage(state), contract: SystemAddresses.governance)
            validators = try Governance.validators(in: slots)
        } catch {
            throw .storage("cannot read the Governance validator list in the state of block #\(header.number): \(error)")
        }
        cache.withLock { table in
            if table.count >= Self.cacheCapacity { table.removeAll(keepingCapacity: true) }
            table[header.stateRoot] = validators
        }
        return validators
    }
}
