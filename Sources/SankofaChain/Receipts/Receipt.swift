import SankofaPrimitives

/// A transaction receipt (EIP-658 status form): `rlp([status, cumulativeGasUsed, logsBloom, logs])`, prefixed by
/// the transaction type byte for typed transactions (EIP-2718), exactly as receipts are hashed into
/// `receiptsRoot`.
public struct Receipt: Hashable, Sendable {
    public var type: TransactionType
    /// true for success, false when the call reverted.
    public var succeeded: Bool
    /// Gas used by this and all earlier transactions of the block.
    public var cumulativeGasUsed: UInt64
    public var logsBloom: Bloom
    public var logs: [Log]

    /// A receipt on its own (a block's receipts share a `LogBloomCache` through the other initializer).
    public init(type: TransactionType, succeeded: Bool, cumulativeGasUsed: UInt64, logs: [Log]) {
        var blooms = LogBloomCache()
        self.init(type: type, succeeded: succeeded, cumulativeGasUsed: cumulativeGasUsed, logs: logs, blooms: &blooms)
    }

    /// A receipt whose bloom takes each address's and topic's bits from the block's `blooms`.
    public init(type: TransactionType, succeeded: Bool, cumulativeGasUsed: UInt64, logs: [Log], blooms: inout LogBloomCache) {
        self.type = type
        self.succeeded = succeeded
        self.cumulativeGasUsed = cumulativeGasUsed
        self.logs = logs
        var bloom = Bloom()
        for log in logs {
            bloom.insert(blooms.bits(of: log.address))
            for topic in log.topics { bloom.insert(blooms.bits(of: topic)) }
        }
        self.logsBloom = bloom
    }

    /// The consensus encoding: what `receiptsRoot` commits to.
    public var encoded: [UInt8] {
        var writer = RLPWriter(capacity: 320)
        if type != .legacy { writer.writeRaw(CollectionOfOne(type.rawValue)) }
        writer.writeList { w in
            w.write(succeeded)
            w.write(cumulativeGasUsed)
            w.write(bytes: logsBloom.bytes)
            w.writeList { list in for log in logs { log.encode(to: &list) } }
        }
        return writer.bytes
    }

    /// Decodes the consensus encoding.
    public init(encoded: [UInt8]) throws(RLPError) {
        guard let first = encoded.first else { throw .unexpectedEnd }
        var body = encoded
        if first < 0xc0 {
            guard let type = TransactionType(rawValue: first), type != .legacy else { throw .expectedList }
            self.type = type
            body = Array(encoded.dropFirst())
        } else {
            self.type = .legacy
        }
        var reader = RLPReader(body)
        var fields = try reader.readList()
        let status = try fields.readBytes()
        guard status.count <= 1, status.first ?? 0 <= 1 else { throw .integerTooLarge(maxBytes: 1, got: status.count) }
        succeeded = status.first == 1
        cumulativeGasUsed = try fields.readUInt64()
        logsBloom = Bloom(bytes: try fields.readFixed(Bloom.byteCount)) ?? Bloom()
        var logList = try fields.readList()
        var decoded: [Log] = []
        while !logList.isAtEnd { decoded.append(try Log(from: &logList)) }
        logs = decoded
        try fields.finish()
        try reader.finish()
    }
}
