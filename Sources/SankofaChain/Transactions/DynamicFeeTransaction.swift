import SankofaPrimitives

/// An EIP-1559 (type 0x02) transaction: `0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit,
/// to, value, data, accessList, yParity, r, s])`.
public struct DynamicFeeTransaction: Hashable, Sendable {
    public var chainId: UInt64
    public var nonce: UInt64
    public var maxPriorityFeePerGas: UInt256
    public var maxFeePerGas: UInt256
    public var gasLimit: UInt64
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    public var accessList: AccessList

    public init(chainId: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256,
                gasLimit: UInt64, to: Address?, value: UInt256, data: [UInt8], accessList: AccessList) {
        self.chainId = chainId
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }
}

extension DynamicFeeTransaction: TypedTransactionFields {
    static var type: TransactionType { .dynamicFee }

    func encodeFields(to writer: inout RLPWriter) {
        writer.write(chainId)
        writer.write(nonce)
        writer.write(maxPriorityFeePerGas)
        writer.write(maxFeePerGas)
        writer.write(gasLimit)
        writer.write(to)
        writer.write(value)
        writer.write(bytes: data)
        AccessListCodec.encode(accessList, to: &writer)
    }

    static func decodeFields(from reader: inout RLPReader) throws(RLPError) -> DynamicFeeTransaction {
        DynamicFeeTransaction(
            chainId: try reader.readUInt64(), nonce: try reader.readUInt64(),
            maxPriorityFeePerGas: try reader.readUInt256(), maxFeePerGas: try reader.readUInt256(),
            gasLimit: try reader.readUInt64(), to: try reader.readOptionalAddress(), value: try reader.readUInt256(),
            data: Array(try reader.readBytes()), accessList: try AccessListCodec.decode(from: &reader))
    }
}

/// The unsigned fields of an EIP-2718 typed transaction, in wire order.
protocol TypedTransactionFields {
    static var type: TransactionType { get }
    func encodeFields(to writer: inout RLPWriter)
    static func decodeFields(from reader: inout RLPReader) throws(RLPError) -> Self
}
