import SankofaPrimitives

/// NewPooledTransactionHashes (0x08) in its eth/68 form: `[types, [size₁, …], [hash₁, …]]` — one type byte, one
/// encoded size and one hash per announced transaction, the three lists of equal length (devp2p caps/eth.md).
public struct PooledTransactionAnnouncement: Hashable, Sendable {
    /// The EIP-2718 type of each transaction (0 for legacy).
    public var types: [UInt8]
    /// The size of each transaction's network encoding, in bytes.
    public var sizes: [UInt32]
    public var hashes: [Hash32]

    public init(types: [UInt8], sizes: [UInt32], hashes: [Hash32]) {
        self.types = types
        self.sizes = sizes
        self.hashes = hashes
    }

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(bytes: types)
            w.writeList { list in for size in sizes { list.write(UInt64(size)) } }
            w.writeList { list in for hash in hashes { list.write(hash) } }
        }
    }

    static let name = "NewPooledTransactionHashes"

    init(from reader: inout RLPReader, limit: Int) throws {
        var fields = try reader.readList()
        let typeBytes = try fields.readBytes()
        guard typeBytes.count <= limit else { throw EthError.tooManyItems(message: Self.name, limit: limit) }
        sizes = try EthDecoding.readList(&fields, limit: limit, message: Self.name) { item in
            let size = try item.readUInt64()
            guard let narrow = UInt32(exactly: size) else { throw RLPError.integerTooLarge(maxBytes: 4, got: 8) }
            return narrow
        }
        hashes = try EthDecoding.readList(&fields, limit: limit, message: Self.name) { try $0.readHash() }
        try fields.finish()
        guard typeBytes.count == hashes.count, sizes.count == hashes.count else {
            throw EthError.invalidField(message: Self.name, "\(typeBytes.count) types, \(sizes.count) sizes and "
                                        + "\(hashes.count) hashes: the three lists must have equal length")
        }
        types = Array(typeBytes)
    }
}
