import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaRPC
import SankofaState
import SankofaStorage
import SankofaTrie
import SankofaTxPool

extension FullBackend: StateQueries {
    /// State through a point-in-time view of the store, so a block committed during a call cannot mix into it.
    func state(at header: BlockHeader) throws -> WorldState {
        try WorldState(reader: chain.store.snapshot(), root: header.stateRoot, snapshot: true)
    }

    /// Reads state, turning a pruned trie into an error that says how to get history.
    func reading<T>(_ header: BlockHeader, _ body: (WorldState) throws -> T) throws -> T {
        do {
            return try body(try state(at: header))
        } catch let error as TrieError {
            if case .missingNode = error {
                throw RPCError.server("state of block \(header.number) is not available (pruned); run with --pruning-enabled=false to keep history")
            }
            throw error
        }
    }

    func account(_ address: Address, at header: BlockHeader) async throws -> Account {
        try reading(header) { try $0.account(address) }
    }

    func storage(_ address: Address, _ key: Hash32, at header: BlockHeader) async throws -> [UInt8] {
        try reading(header) { try $0.storage(address, key) }
    }

    func proof(_ address: Address, slots: [Hash32], at header: BlockHeader) async throws -> AccountProof {
        try reading(header) { try $0.proof(address, slots: slots) }
    }

    func call(_ request: CallRequest, at header: BlockHeader) async throws -> CallOutcome {
        let simulator = CallSimulator(registry: SystemContracts.registry, chainId: chainId)
        return try reading(header) { state in
            try simulator.call(to: request.to, from: request.from, data: request.data, value: request.value,
                               gas: request.gas, header: header, storage: WorldStateContractStorage(state))
        }
    }

    func isSystemContract(_ address: Address) -> Bool { SystemContracts.registry.isSystemContract(address) }
}
