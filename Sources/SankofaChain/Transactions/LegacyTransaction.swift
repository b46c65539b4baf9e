import SankofaPrimitives

/// A pre-EIP-2718 transaction: `rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])`. When `chainId` is set
/// it is EIP-155 replay-protected: the chain id is signed over and folded into `v`.
public struct LegacyTransaction: Hashable, Sendable {
    public var nonce: UInt64
    public var gasPrice: UInt256
    public var gasLimit: UInt64
    /// nil for contract creation.
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    /// The EIP-155 chain id, or nil for an unprotected (pre-EIP-155) transaction.
    public var chainId: UInt64?

    public init(nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64, to: Address?, value: UInt256, data: [UInt8],
                chainId: UInt64?) {
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.chainId = chainId
    }

    /// The six fields shared by the signing payload and the signed encoding.
    func encodeCommonFields(to writer: inout RLPWriter) {
        writer.write(nonce)
        writer.write(gasPrice)
        writer.write(gasLimit)
        writer.write(to)
        writer.write(value)
        writer.write(bytes: data)
    }

    /// `v` as EIP-155 defines it: `27 + recid` unprotected, `chainId * 2 + 35 + recid` protected.
    func v(recoveryId: UInt8) -> UInt256 {
        guard let chainId else { return UInt256(27 + UInt64(recoveryId)) }
        return UInt256(chainId) &* 2 &+ UInt256(35 + UInt64(recoveryId))
    }

    /// Splits a legacy `v` into the chain id (nil if unprotected) and the recovery id.
    static func split(v: UInt256) throws(TransactionError) -> (chainId: UInt64?, recoveryId: UInt8) {
        guard let small = v.asUInt64 else {
            // chainId * 2 + 35 beyond 64 bits: a chain id we cannot represent.
            throw .invalidV
        }
        switch small {
        case 27, 28: return (nil, UInt8(small - 27))
        case 35...: return ((small - 35) / 2, UInt8((small - 35) % 2))
        default: throw .invalidV
        }
    }
}
