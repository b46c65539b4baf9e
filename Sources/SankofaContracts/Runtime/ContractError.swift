import SankofaPrimitives

/// How a contract call ends when it does not return normally. Every case becomes a revert: state rolled back,
/// receipt status 0, gas used charged.
public enum ContractError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A Solidity-style `revert("reason")`: the reason goes back ABI-encoded as `Error(string)`.
    case revert(String)
    /// The call used all the gas it was given.
    case outOfGas(limit: UInt64)

    public var description: String {
        switch self {
        case .revert(let reason): "execution reverted: \(reason)"
        case .outOfGas(let limit): "out of gas (limit \(limit))"
        }
    }

    /// The bytes returned to the caller: `Error(string)` for a revert, nothing for out-of-gas (as the EVM).
    public var revertData: [UInt8] {
        switch self {
        case .revert(let reason): ABI.encodeRevert(reason)
        case .outOfGas: []
        }
    }

    /// The message JSON-RPC shows with error code 3.
    public var message: String {
        switch self {
        case .revert(let reason): "execution reverted: \(reason)"
        case .outOfGas: "out of gas"
        }
    }
}
