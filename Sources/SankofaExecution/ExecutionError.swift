import SankofaChain
import SankofaPrimitives

/// Why a transaction cannot be included in a block at all (as opposed to a revert, which is included with status
/// 0). A block containing one is invalid.
public enum ExecutionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidTransaction(TransactionError)
    case nonceMismatch(sender: Address, expected: UInt64, got: UInt64)
    case insufficientFunds(sender: Address, have: UInt256, need: UInt256)
    case blockGasLimitExceeded(used: UInt64, transactionGas: UInt64, limit: UInt64)
    /// There is no EVM: transactions without a recipient cannot be executed.
    case contractCreationNotSupported
    case feeCapBelowBaseFee(maxFee: UInt256, baseFee: UInt256)
    /// A block's header disagrees with what executing its transactions produced.
    case headerMismatch(field: String, got: String, expected: String)
    /// The transaction broke a state rule while being applied (e.g. a balance would overflow).
    case stateRule(String)

    public var description: String {
        switch self {
        case .invalidTransaction(let e): e.description
        case .nonceMismatch(let sender, let expected, let got):
            "nonce \(got) for \(sender.checksummed) is not the next nonce \(expected)"
        case .insufficientFunds(let sender, let have, let need):
            "insufficient funds for gas * price + value: \(sender.checksummed) has \(have), needs \(need)"
        case .blockGasLimitExceeded(let used, let gas, let limit):
            "transaction gas \(gas) exceeds the block's remaining gas (\(used) of \(limit) used)"
        case .contractCreationNotSupported:
            "contract creation is not supported: Sankofa runs native system contracts, there is no EVM"
        case .feeCapBelowBaseFee(let maxFee, let baseFee): "max fee per gas \(maxFee) is below the base fee \(baseFee)"
        case .headerMismatch(let field, let got, let expected): "block \(field) mismatch: got \(got), expected \(expected)"
        case .stateRule(let reason): "transaction cannot be applied: \(reason)"
        }
    }
}
