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
        self.logsBloom = Self.bloom(of: logs, blooms: &blooms)
    }

    /// The bloom of `logs`: each log's address and topics.
    static func bloom(of logs: [Log], blooms: inout LogBloomCache) -> Bloom {
        var bloom = Bloom()
        for log in logs {
            bloom.insert(blooms.bits(of: log.address))
            for topic in log.topics { bloom.insert(blooms.bits(of: topic)) }
        }
        return bloom
    }

    /// The consensus encoding: what `receiptsRoot` commits to.
    public var encoded: [UInt8] { encode(withBloom: true) }

    /// The form a block's receipts are stored in (geth's `ReceiptForStorage`): the consensus encoding without the
    /// 256-byte bloom, which `init(stored:)` derives again from the logs. Every node writes every block's
    /// receipts, and the bloom, mostly zeroes, was two thirds of their bytes.
    public var storageEncoded: [UInt8] { encode(withBloom: false) }

    private func encode(withBloom: Bool) -> [UInt8] {
        var writer = RLPWriter(capacity: withBloom ? 320 : 64)
        if type != .legacy { writer.writeRaw(CollectionOfOne(type.rawValue)) }
        writer.writeList { w in
            w.write(succeeded)
            w.write(cumulativeGasUsed)
            if withBloom { w.write(bytes: logsBloom.bytes) }
            w.writeList { list in for log in logs { log.encode(to: &list) } }
        }
        return writer.bytes
    }

    /// Decodes the consensus encoding.
    public init(encoded: [UInt8]) throws(RLPError) {
        var blooms = LogBloomCache()
        try self.init(decoding: encoded, stored: false, blooms: &blooms)
    }

    /// Decodes the storage form, deriving the bloom from the logs with the block's `blooms`; the consensus
    /// encoding (what databases written before the storage form hold) is read too.
    public init(stored: [UInt8], blooms: inout LogBloomCache) throws(RLPError) {
        try self.init(decoding: stored, stored: true, blooms: &blooms)
    }

    private init(decoding encoded: [UInt8], stored: Bool, blooms: inout LogBloomCache) throws(RLPError) {
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
        // In the storage form the logs follow at once; the consensus form has the bloom (a string) first.
        var bloomFollows = true
        if stored { bloomFollows = try !fields.peekIsList() }
        let bloom = bloomFollows ? Bloom(bytes: try fields.readFixed(Bloom.byteCount)) : nil
        var logList = try fields.readList()
        var decoded: [Log] = []
        while !logList.isAtEnd { decoded.append(try Log(from: &logList)) }
        logs = decoded
        try fields.finish()
        try reader.finish()
        logsBloom = bloom ?? Self.bloom(of: decoded, blooms: &blooms)
    }
}
