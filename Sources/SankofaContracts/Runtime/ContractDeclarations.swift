import SankofaChain
import SankofaPrimitives

/// A named, typed parameter of a function or event, as it appears in the Solidity ABI.
public struct ABIParameter: Sendable, Equatable {
    public let name: String
    public let type: ABIType
    /// For event parameters: whether it goes into a topic.
    public let indexed: Bool

    public init(_ name: String, _ type: ABIType, indexed: Bool = false) {
        self.name = name
        self.type = type
        self.indexed = indexed
    }
}

/// Whether a function may change state.
public enum StateMutability: String, Sendable {
    case view
    case nonpayable
}

/// One contract function: its ABI and its Swift handler. The runtime wraps every handler with dispatch, argument
/// decoding, the read-only and pause checks, gas and rollback, so handlers contain only business logic.
public struct ContractFunction: Sendable {
    public let name: String
    public let inputs: [ABIParameter]
    public let outputs: [ABIParameter]
    public let mutability: StateMutability
    /// Roles of which the caller must hold at least one (checked against IdentityRegistry before the handler).
    public let requiredRoles: [Hash32]
    /// Whether an emergency pause of the contract blocks this function (true for every state change except the
    /// governance functions that lift a pause).
    public let pausable: Bool
    public let handler: @Sendable (Call) throws -> [ABIValue]

    public init(_ name: String, _ inputs: [ABIParameter], returns outputs: [ABIParameter] = [],
                _ mutability: StateMutability = .nonpayable, roles: [Hash32] = [], pausable: Bool? = nil,
                handler: @escaping @Sendable (Call) throws -> [ABIValue]) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.mutability = mutability
        self.requiredRoles = roles
        self.pausable = pausable ?? (mutability != .view)
        self.handler = handler
    }

    /// `name(type1,type2,…)`, the text whose keccak gives the selector.
    public var signature: String { canonicalSignature(name, inputs) }
    public var selector: [UInt8] { ABI.selector(signature) }
}

/// One Solidity-style event: topic 0 is keccak of the signature, indexed parameters follow as topics, the rest is
/// ABI-encoded data.
public struct ContractEvent: Sendable, Equatable {
    public let name: String
    public let inputs: [ABIParameter]
    /// Topic 0 of every log of this event, hashed once here rather than on every emit.
    public let topic: Hash32

    public init(_ name: String, _ inputs: [ABIParameter]) {
        self.name = name
        self.inputs = inputs
        self.topic = ABI.eventTopic(canonicalSignature(name, inputs))
    }

    public var signature: String { canonicalSignature(name, inputs) }

    /// The log for these argument values (in declaration order). Indexed dynamic values are hashed, as Solidity does.
    public func log(from address: Address, _ values: [ABIValue]) throws -> Log {
        guard values.count == inputs.count else {
            throw ContractError.revert("event \(name) takes \(inputs.count) values, got \(values.count)")
        }
        var topics = [topic]
        var dataTypes: [ABIType] = []
        var dataValues: [ABIValue] = []
        for (parameter, value) in zip(inputs, values) {
            if parameter.indexed {
                let encoded = try ABI.encode([value], as: [parameter.type])
                if parameter.type.isDynamic {
                    topics.append(Keccak256.hash(encoded))
                } else {
                    topics.append(Hash32(bytes: encoded.prefix(32)) ?? .zero)
                }
            } else {
                dataTypes.append(parameter.type)
                dataValues.append(value)
            }
        }
        return Log(address: address, topics: topics, data: try ABI.encode(dataValues, as: dataTypes))
    }
}

/// A native system contract: a fixed address, a Solidity ABI, and Swift handlers. The declaration is the single
/// source of truth: dispatch tables, `Contracts/<Name>.json` and `Contracts/<Name>.sol` all come from it.
public protocol SystemContract: Sendable {
    /// The contract's name, e.g. "IdentityRegistry".
    var name: String { get }
    var address: Address { get }
    var functions: [ContractFunction] { get }
    var events: [ContractEvent] { get }
}

/// `name(type1,type2,…)`: the text Solidity hashes for a function's selector and an event's topic.
private func canonicalSignature(_ name: String, _ inputs: [ABIParameter]) -> String {
    "\(name)(\(inputs.map(\.type.canonicalName).joined(separator: ",")))"
}
