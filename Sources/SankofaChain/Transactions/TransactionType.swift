/// The EIP-2718 transaction type.
public enum TransactionType: UInt8, Sendable, Hashable, CaseIterable {
    /// The original RLP list form, with EIP-155 replay protection when `v` carries a chain id.
    case legacy = 0
    /// EIP-2930: chain id and access list, flat gas price.
    case accessList = 1
    /// EIP-1559: fee cap and priority fee.
    case dynamicFee = 2
}
