import SankofaPrimitives

/// Gas constants of the intrinsic cost (yellow paper G_transaction etc., EIP-2028, EIP-2930, EIP-3860).
public enum IntrinsicGas {
    public static let transaction: UInt64 = 21_000
    public static let contractCreation: UInt64 = 32_000
    public static let zeroByte: UInt64 = 4
    public static let nonZeroByte: UInt64 = 16
    public static let accessListAddress: UInt64 = 2_400
    public static let accessListStorageKey: UInt64 = 1_900
    public static let initCodeWord: UInt64 = 2
    /// EIP-3860's cap on contract-creation input.
    public static let maxInitCodeSize = 49_152

    /// The gas charged before execution for `data`, contract creation (EIP-3860 init-code words included) and an
    /// EIP-2930 access list: what a transaction with these fields pays, and what `eth_estimateGas` adds to the
    /// metered work of a call.
    public static func of(data: [UInt8], isCreation: Bool, accessList: AccessList) -> UInt64 {
        var zeros: UInt64 = 0
        for byte in data where byte == 0 { zeros += 1 }
        let nonZeros = UInt64(data.count) - zeros
        var gas = transaction + zeros * zeroByte + nonZeros * nonZeroByte
        if isCreation {
            gas += contractCreation
            gas += (UInt64(data.count) + 31) / 32 * initCodeWord
        }
        for entry in accessList {
            gas += accessListAddress + UInt64(entry.storageKeys.count) * accessListStorageKey
        }
        return gas
    }
}

extension Transaction {
    /// The gas a transaction costs before any execution: base, calldata, creation and access-list charges.
    public var intrinsicGas: UInt64 { IntrinsicGas.of(data: data, isCreation: to == nil, accessList: accessList) }

    /// Checks the rules a transaction must meet independent of state: chain id, nonce range, fee consistency and
    /// overflow, init-code size and intrinsic gas (what ethereum/tests TransactionTests check from Shanghai on).
    /// Unprotected legacy transactions pass unless `requireReplayProtection` is set.
    public func validate(chainId expected: UInt64, requireReplayProtection: Bool = false) throws(TransactionError) {
        if let chainId {
            guard chainId == expected else { throw .wrongChainId(expected: expected, got: chainId) }
        } else if requireReplayProtection {
            throw .wrongChainId(expected: expected, got: 0)
        }
        guard nonce < UInt64.max else { throw .nonceTooHigh }
        if case .dynamicFee(let tx) = payload, tx.maxPriorityFeePerGas > tx.maxFeePerGas {
            throw .priorityFeeAboveMaxFee
        }
        guard maxFeePerGas.multipliedReportingOverflow(by: UInt256(gasLimit)).overflow == false else {
            throw .feeOverflow
        }
        if to == nil, data.count > IntrinsicGas.maxInitCodeSize {
            throw .initCodeTooLarge(size: data.count, limit: IntrinsicGas.maxInitCodeSize)
        }
        let needed = intrinsicGas
        guard gasLimit >= needed else { throw .intrinsicGasTooLow(needed: needed, limit: gasLimit) }
    }
}
