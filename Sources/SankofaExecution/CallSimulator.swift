import SankofaChain
import SankofaContracts
import SankofaPrimitives

/// Runs a call against the state of a block and keeps none of its changes: `eth_call` and `eth_estimateGas`.
/// It reads through `ContractStorage`, so a full node passes its world state and a light node can pass storage it
/// proves slot by slot; both then run the same Swift contract code.
public struct CallSimulator: Sendable {
    public let registry: ContractRegistry
    public let chainId: UInt64

    public init(registry: ContractRegistry, chainId: UInt64) {
        self.registry = registry
        self.chainId = chainId
    }

    /// The outcome of sending `data` (with `value`) from `from` to `to` in a block on top of `header`'s state, with
    /// at most `gas` (capped by the block gas limit). An address without a system contract answers an empty success,
    /// as a call to an account without code does on Ethereum.
    public func call(to: Address?, from: Address, data: [UInt8], value: UInt256, gas: UInt64?, header: BlockHeader,
                     storage: ContractStorage) throws -> CallOutcome {
        guard let to, registry.isSystemContract(to) else {
            return CallOutcome(succeeded: true, output: [], gasUsed: 0, logs: [], error: nil)
        }
        let host = ContractHost(registry: registry, storage: storage, block: BlockExecutor.context(of: header, chainId: chainId),
                                origin: from, gasLimit: min(gas ?? header.gasLimit, header.gasLimit))
        return try host.execute(to, input: data, sender: from, value: value)
    }
}
