import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaPrimitives
import SankofaState
import SankofaStorage
@testable import SankofaExecution

/// A dev chain driven one block per step: signs transactions from dev keys with the right nonces, executes them
/// through the block executor, commits, and reads contracts back through read-only calls.
final class DevChainHarness {
    let store = MemoryStore()
    let executor = BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry, chainId: 1337))
    var header: BlockHeader
    var root: Hash32
    var nonces: [Address: UInt64] = [:]

    init() throws {
        let chain = try ChainStore(store: store)
        let genesis = try Genesis.initialize(try GenesisTests.devGenesis(), validators: GenesisTests.devValidators, chain: chain)
        header = genesis.header
        root = genesis.header.stateRoot
    }

    func calldata(_ contract: Address, _ name: String, _ args: [ABIValue]) throws -> [UInt8] {
        guard let function = SystemContracts.registry.contract(at: contract)?.functions.first(where: { $0.name == name }) else {
            throw ContractError.revert("no function \(name)")
        }
        return function.selector + (try ABI.encode(args, as: function.inputs.map(\.type)))
    }

    /// Executes one block holding `calls` and returns its receipts.
    @discardableResult
    func block(_ calls: [(PrivateKey, Address, String, [ABIValue])]) throws -> [Receipt] {
        var transactions: [RecoveredTransaction] = []
        for (key, contract, name, args) in calls {
            let nonce = nonces[key.address, default: 0]
            nonces[key.address] = nonce + 1
            transactions.append(try Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: 1337, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 2_000_000,
                to: contract, value: .zero, data: try calldata(contract, name, args), accessList: []))
                .signed(with: key).recovered())
        }
        var next = header
        next.parentHash = header.hash
        next.number += 1
        next.timestamp += 12
        let state = try WorldState(reader: store, root: root, snapshot: true)
        let outcome = try executor.execute(transactions, header: next, state: state)
        let commit = try state.commit()
        try store.write(commit.batch, sync: false)
        next.stateRoot = commit.root
        header = next
        root = commit.root
        return outcome.receipts
    }

    /// One call in its own block; returns its receipt.
    @discardableResult
    func send(_ key: PrivateKey, _ contract: Address, _ name: String, _ args: [ABIValue]) throws -> Receipt {
        try block([(key, contract, name, args)])[0]
    }

    /// A read-only call against the latest state.
    func view(_ contract: Address, _ name: String, _ args: [ABIValue] = []) throws -> [ABIValue] {
        let state = try WorldState(reader: store, root: root, snapshot: true)
        let host = ContractHost(registry: SystemContracts.registry, storage: WorldStateContractStorage(state),
                                block: BlockExecutor.context(of: header, chainId: 1337), origin: .zero,
                                gasLimit: 10_000_000, isStatic: true)
        let outcome = try host.execute(contract, input: try calldata(contract, name, args), sender: .zero)
        guard outcome.succeeded else { throw outcome.error ?? ContractError.revert("reverted") }
        guard let function = SystemContracts.registry.contract(at: contract)?.functions.first(where: { $0.name == name }) else {
            return []
        }
        return try ABI.decode(outcome.output, as: function.outputs.map(\.type))
    }

    /// The names of the events in a receipt's logs, in order.
    func eventNames(_ receipt: Receipt) -> [String] {
        receipt.logs.compactMap { log in
            SystemContracts.registry.contract(at: log.address)?.events.first { $0.topic == log.topics.first }?.name
        }
    }
}

func text32(_ text: String) -> ABIValue {
    var bytes = Array(text.utf8.prefix(32))
    bytes += [UInt8](repeating: 0, count: 32 - bytes.count)
    return .fixedBytes(bytes)
}

func uint(_ value: UInt64) -> ABIValue { .uint(UInt256(value)) }
