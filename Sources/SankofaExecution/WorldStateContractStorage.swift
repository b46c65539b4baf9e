import SankofaContracts
import SankofaPrimitives
import SankofaState

/// Contract storage backed by the world state: each contract's slots live in its account's storage trie, and
/// checkpoints are the world state's journal.
public final class WorldStateContractStorage: ContractStorage {
    public let state: WorldState
    private var checkpoints: [StateCheckpoint] = []

    public init(_ state: WorldState) { self.state = state }

    public func load(_ contract: Address, _ key: Hash32) throws -> [UInt8] { try state.storage(contract, key) }

    public func store(_ contract: Address, _ key: Hash32, _ value: [UInt8]) throws {
        try state.setStorage(contract, key, value)
    }

    public func checkpoint() -> Int {
        checkpoints.append(state.checkpoint())
        return checkpoints.count - 1
    }

    public func revert(to checkpoint: Int) throws {
        guard checkpoints.indices.contains(checkpoint) else { throw StateError.staleCheckpoint }
        try state.revert(to: checkpoints[checkpoint])
        checkpoints.removeSubrange(checkpoint...)
    }
}
