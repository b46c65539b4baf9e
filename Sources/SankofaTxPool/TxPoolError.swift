import SankofaChain
import SankofaPrimitives

/// Why the pool refused a transaction. Messages follow geth's wording where clients match on it
/// ("nonce too low", "already known", "replacement transaction underpriced").
public enum TxPoolError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(TransactionError)
    case alreadyKnown
    case nonceTooLow(next: UInt64, got: UInt64)
    case insufficientFunds(have: UInt256, need: UInt256)
    case underpriced(minimum: UInt256)
    case replacementUnderpriced
    case gasLimitExceedsBlock(gas: UInt64, blockLimit: UInt64)
    case contractCreation
    case senderNotAllowed(Address)
    case oversized(size: Int, limit: Int)
    case poolFull
    case senderLimitReached(limit: Int)
    case nonceGapTooLarge(next: UInt64, got: UInt64)

    public var description: String {
        switch self {
        case .invalid(let e): e.description
        case .alreadyKnown: "already known"
        case .nonceTooLow(let next, let got): "nonce too low: next nonce \(next), tx nonce \(got)"
        case .insufficientFunds(let have, let need): "insufficient funds for gas * price + value: balance \(have), cost \(need)"
        case .underpriced(let minimum): "transaction underpriced: minimum gas price \(minimum)"
        case .replacementUnderpriced: "replacement transaction underpriced"
        case .gasLimitExceedsBlock(let gas, let limit): "exceeds block gas limit: tx gas \(gas), block gas limit \(limit)"
        case .contractCreation: "contract creation is not supported: there is no EVM on Sankofa"
        case .senderNotAllowed(let a): "sender \(a.checksummed) is not on the account allowlist"
        case .oversized(let size, let limit): "oversized data: transaction size \(size), limit \(limit)"
        case .poolFull: "txpool is full"
        case .senderLimitReached(let limit): "too many transactions from this sender (limit \(limit))"
        case .nonceGapTooLarge(let next, let got): "nonce \(got) is too far ahead of the next nonce \(next)"
        }
    }
}
