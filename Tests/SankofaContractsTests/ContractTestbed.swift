import SankofaChain
import SankofaPrimitives
import Testing
@testable import SankofaContracts

/// Runs system contracts in isolation over in-memory storage, as transactions would: one host per call, gas
/// metered, reverts rolled back. Tests call functions by name with ABI values and decode results and events.
final class ContractTestbed {
    let registry = SystemContracts.registry
    let storage = InMemoryContractStorage()
    var block = BlockContext(number: 1, timestamp: 1_700_000_000, coinbase: .zero, chainId: 1337)

    static let admin = Address(low: 0xAD)
    static let alice = Address(low: 0xA1)
    static let bob = Address(low: 0xB0)
    static let carol = Address(low: 0xCA)

    /// Genesis: `admin` holds every role and is the only board member (threshold 1), like `--admin`.
    init(board: [Address] = [ContractTestbed.admin], threshold: UInt64 = 1) throws {
        try IdentityRegistry.initialize(GenesisSlots(storage: storage, contract: SystemAddresses.identityRegistry),
                                        roles: Dictionary(uniqueKeysWithValues: Roles.byName.values.map { ($0, [Self.admin]) }))
        try Governance.initialize(GenesisSlots(storage: storage, contract: SystemAddresses.governance),
                                  board: board, threshold: threshold, validators: [Address(low: 0x7A1)])
    }

    struct Result {
        let outcome: CallOutcome
        let values: [ABIValue]
        var succeeded: Bool { outcome.succeeded }
        var revertReason: String? { ABI.decodeRevert(outcome.output) }
    }

    func function(_ contract: Address, _ name: String) throws -> ContractFunction {
        try #require(registry.contract(at: contract)?.functions.first { $0.name == name }, "no function \(name)")
    }

    /// Sends a call as `sender` and returns the outcome with decoded return values.
    @discardableResult
    func call(_ contract: Address, _ name: String, _ arguments: [ABIValue], from sender: Address,
              gasLimit: UInt64 = 5_000_000, isStatic: Bool = false) throws -> Result {
        let function = try function(contract, name)
        let input = function.selector + (try ABI.encode(arguments, as: function.inputs.map(\.type)))
        let host = ContractHost(registry: registry, storage: storage, block: block, origin: sender, gasLimit: gasLimit,
                                isStatic: isStatic)
        let outcome = try host.execute(contract, input: input, sender: sender)
        let values = outcome.succeeded ? try ABI.decode(outcome.output, as: function.outputs.map(\.type)) : []
        return Result(outcome: outcome, values: values)
    }

    /// Reads a view function's results.
    func view(_ contract: Address, _ name: String, _ arguments: [ABIValue] = []) throws -> [ABIValue] {
        let result = try call(contract, name, arguments, from: .zero, isStatic: true)
        guard result.succeeded else { throw ContractError.revert(result.revertReason ?? "reverted") }
        return result.values
    }

    /// Decodes a log back into (event name, argument values) using the contract's declarations.
    func decode(_ log: Log) throws -> (String, [ABIValue]) {
        let contract = try #require(registry.contract(at: log.address))
        let event = try #require(contract.events.first { $0.topic == log.topics.first })
        let data = try ABI.decode(log.data, as: event.inputs.filter { !$0.indexed }.map(\.type))
        var topics = log.topics.dropFirst().makeIterator()
        var dataValues = data.makeIterator()
        var values: [ABIValue] = []
        for input in event.inputs {
            if input.indexed {
                let next = topics.next()
                let topic = try #require(next)
                values.append(try ABI.decode(topic.bytes, as: [input.type])[0])
            } else {
                let next = dataValues.next()
                values.append(try #require(next))
            }
        }
        return (event.name, values)
    }
}

extension ABIValue {
    static func word(_ hash: Hash32) -> ABIValue { .fixedBytes(hash.bytes) }
    static func number(_ value: UInt64) -> ABIValue { .uint(UInt256(value)) }
}
