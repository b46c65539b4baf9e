import SankofaPrimitives

/// An EIP-2930 (type 0x01) transaction:
/// `0x01 ‖ rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s])`.
public struct AccessListTransaction: Hashable, Sendable {
    public var chainId: UInt64
    public var nonce: UInt64
    public var gasPrice: UInt256
    public var gasLimit: UInt64
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    public var accessList: AccessList

    public init(chainId: UInt64, nonce: UInt64, gasPrice: UInt256, gasLimit: UInt64, to: Address?, value: UInt256,
                data: [UInt8], accessList: AccessList) {
        self.chainId = chainId
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }
}

extension AccessListTransaction: TypedTransactionFields {
    static var type: TransactionType { .accessList }

    func encodeFields(to writer: inout RLPWriter) {
        writer.write(chainId)
        writer.write(nonce)
        writer.write(gasPrice)
        writer.write(gasLimit)
        writer.write(to)
        writer.write(value)
        writer.write(bytes: data)
        AccessListCodec.encode(accessList, to: &writer)
    }

    static func decodeFields(from reader: inout RLPReader) throws(RLPError) -> AccessListTransaction {
        AccessListTransaction(
            chainId: try reader.readUInt64(), nonce: try reader.readUInt64(), gasPrice: try reader.readUInt256(),
            gasLimit: try reader.readUInt64(), to: try reader.readOptionalAddress(), value: try reader.readUInt256(),
            data: Array(try reader.readBytes()), accessList: try AccessListCodec.decode(from: &reader))
    }
}
