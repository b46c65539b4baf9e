import SankofaCrypto
import SankofaPrimitives

/// Why a transaction was refused, at decoding or validation. Each message says what is wrong with the input.
public enum TransactionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a well-formed transaction encoding.
    case malformed(RLPError)
    /// Empty input where a transaction was expected.
    case empty
    /// A typed envelope whose first byte is not a known type (EIP-2718).
    case unsupportedType(UInt8)
    /// A legacy `v` that is neither 27/28 nor an EIP-155 value (≥ 35).
    case invalidV
    /// A typed transaction's `yParity` is neither 0 nor 1.
    case invalidYParity
    /// The signature values are out of range, high-s, or recover to nothing.
    case invalidSignature(CryptoError)
    /// The transaction is for another chain (EIP-155 / EIP-2930 chain id).
    case wrongChainId(expected: UInt64, got: UInt64)
    /// EIP-2681: the nonce must stay below 2^64 - 1.
    case nonceTooHigh
    /// The gas limit does not cover the transaction's intrinsic cost.
    case intrinsicGasTooLow(needed: UInt64, limit: UInt64)
    /// gasLimit × fee cap does not fit in 256 bits.
    case feeOverflow
    /// EIP-1559: the priority fee may not exceed the fee cap.
    case priorityFeeAboveMaxFee
    /// EIP-3860: contract-creation input is limited to 49,152 bytes.
    case initCodeTooLarge(size: Int, limit: Int)

    public var description: String {
        switch self {
        case .malformed(let e): "malformed transaction: \(e)"
        case .empty: "empty transaction bytes"
        case .unsupportedType(let t): "unsupported transaction type 0x\(String(t, radix: 16)) (supported: legacy, 0x01, 0x02)"
        case .invalidV: "invalid signature v value (expected 27, 28 or an EIP-155 value 2*chainId+35/36)"
        case .invalidYParity: "invalid signature yParity (expected 0 or 1)"
        case .invalidSignature(let e): e.description
        case .wrongChainId(let expected, let got): "wrong chain id \(got): this network is \(expected)"
        case .nonceTooHigh: "nonce must be below 2^64-1 (EIP-2681)"
        case .intrinsicGasTooLow(let needed, let limit): "intrinsic gas too low: gas limit \(limit), need \(needed)"
        case .feeOverflow: "gas limit times fee cap overflows 256 bits"
        case .priorityFeeAboveMaxFee: "maxPriorityFeePerGas is above maxFeePerGas"
        case .initCodeTooLarge(let size, let limit): "contract creation input of \(size) bytes exceeds \(limit) (EIP-3860)"
        }
    }
}

extension TransactionError {
    /// Runs a decoding step whose failures are RLP or transaction errors, reporting both as `TransactionError`.
    static func decoding<T>(_ body: () throws -> T) throws(TransactionError) -> T {
        do {
            return try body()
        } catch let error as TransactionError {
            throw error
        } catch let error as RLPError {
            throw .malformed(error)
        } catch {
            // Decoding steps throw only the two types above; anything else is a programming error upstream.
            preconditionFailure("unexpected decoding error \(error)")
        }
    }
}
