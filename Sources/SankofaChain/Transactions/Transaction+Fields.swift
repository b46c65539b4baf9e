import SankofaPrimitives

/// Uniform read access to the fields every transaction type has, so callers rarely need to switch on the type.
extension Transaction {
    public var type: TransactionType {
        switch payload {
        case .legacy: .legacy
        case .accessList: .accessList
        case .dynamicFee: .dynamicFee
        }
    }

    /// The chain id the transaction is bound to; nil for unprotected legacy transactions.
    public var chainId: UInt64? {
        switch payload {
        case .legacy(let tx): tx.chainId
        case .accessList(let tx): tx.chainId
        case .dynamicFee(let tx): tx.chainId
        }
    }

    public var nonce: UInt64 {
        switch payload {
        case .legacy(let tx): tx.nonce
        case .accessList(let tx): tx.nonce
        case .dynamicFee(let tx): tx.nonce
        }
    }

    public var gasLimit: UInt64 {
        switch payload {
        case .legacy(let tx): tx.gasLimit
        case .accessList(let tx): tx.gasLimit
        case .dynamicFee(let tx): tx.gasLimit
        }
    }

    /// The recipient; nil for contract creation.
    public var to: Address? {
        switch payload {
        case .legacy(let tx): tx.to
        case .accessList(let tx): tx.to
        case .dynamicFee(let tx): tx.to
        }
    }

    public var value: UInt256 {
        switch payload {
        case .legacy(let tx): tx.value
        case .accessList(let tx): tx.value
        case .dynamicFee(let tx): tx.value
        }
    }

    /// The call data (`input` in JSON-RPC).
    public var data: [UInt8] {
        switch payload {
        case .legacy(let tx): tx.data
        case .accessList(let tx): tx.data
        case .dynamicFee(let tx): tx.data
        }
    }

    /// The flat gas price of legacy and EIP-2930 transactions; nil for EIP-1559 ones.
    public var gasPrice: UInt256? {
        switch payload {
        case .legacy(let tx): tx.gasPrice
        case .accessList(let tx): tx.gasPrice
        case .dynamicFee: nil
        }
    }

    /// The most the sender pays per gas: the fee cap, or the gas price for pre-1559 types.
    public var maxFeePerGas: UInt256 {
        switch payload {
        case .legacy(let tx): tx.gasPrice
        case .accessList(let tx): tx.gasPrice
        case .dynamicFee(let tx): tx.maxFeePerGas
        }
    }

    /// The tip cap: the priority fee, or the gas price for pre-1559 types.
    public var maxPriorityFeePerGas: UInt256 {
        switch payload {
        case .legacy(let tx): tx.gasPrice
        case .accessList(let tx): tx.gasPrice
        case .dynamicFee(let tx): tx.maxPriorityFeePerGas
        }
    }

    public var accessList: AccessList {
        switch payload {
        case .legacy: []
        case .accessList(let tx): tx.accessList
        case .dynamicFee(let tx): tx.accessList
        }
    }

    /// The `v` value as JSON-RPC reports it: EIP-155 `v` for legacy, `yParity` for typed transactions.
    public var v: UInt256 {
        if case .legacy(let tx) = payload { return tx.v(recoveryId: signature.recoveryId) }
        return UInt256(UInt64(signature.recoveryId))
    }
}
