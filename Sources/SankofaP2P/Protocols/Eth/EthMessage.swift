import SankofaChain
import SankofaPrimitives

/// Every eth/68 message, typed (devp2p caps/eth.md). Requests and their responses carry the eth/66 request id
/// (a uint64) that pairs them.
///
/// `decode(code:data:limits:)` is strict: non-canonical RLP, wrong shapes, trailing bytes, invalid transactions
/// and lists over `EthLimits` are refused with an `EthError`, never a trap.
public enum EthMessage: Hashable, Sendable {
    /// 0x00: the handshake.
    case status(EthStatus)
    /// 0x01: new blocks announced by hash.
    case newBlockHashes([BlockHashAnnouncement])
    /// 0x02: full transactions propagated.
    case transactions([Transaction])
    /// 0x03: `[request-id, [origin, amount, skip, reverse]]`.
    case getBlockHeaders(requestId: UInt64, HeaderQuery)
    /// 0x04: `[request-id, [header, …]]`.
    case blockHeaders(requestId: UInt64, [BlockHeader])
    /// 0x05: `[request-id, [blockhash, …]]`.
    case getBlockBodies(requestId: UInt64, [Hash32])
    /// 0x06: `[request-id, [[transactions, ommers], …]]`.
    case blockBodies(requestId: UInt64, [BlockBody])
    /// 0x07: `[block, td]`, a whole new block and the total difficulty it reaches.
    case newBlock(Block, totalDifficulty: UInt256)
    /// 0x08: transactions announced by type, size and hash.
    case newPooledTransactionHashes(PooledTransactionAnnouncement)
    /// 0x09: `[request-id, [txhash, …]]`.
    case getPooledTransactions(requestId: UInt64, [Hash32])
    /// 0x0a: `[request-id, [tx, …]]`.
    case pooledTransactions(requestId: UInt64, [Transaction])
    /// 0x0f: `[request-id, [blockhash, …]]`.
    case getReceipts(requestId: UInt64, [Hash32])
    /// 0x10: `[request-id, [[receipt, …], …]]`, one list per block, receipts in their consensus encoding.
    case receipts(requestId: UInt64, [[Receipt]])

    /// The message's relative id.
    public var code: EthMessageCode {
        switch self {
        case .status: .status
        case .newBlockHashes: .newBlockHashes
        case .transactions: .transactions
        case .getBlockHeaders: .getBlockHeaders
        case .blockHeaders: .blockHeaders
        case .getBlockBodies: .getBlockBodies
        case .blockBodies: .blockBodies
        case .newBlock: .newBlock
        case .newPooledTransactionHashes: .newPooledTransactionHashes
        case .getPooledTransactions: .getPooledTransactions
        case .pooledTransactions: .pooledTransactions
        case .getReceipts: .getReceipts
        case .receipts: .receipts
        }
    }

    /// The message body (before Snappy compression).
    public var encoded: [UInt8] {
        switch self {
        case .status(let status):
            var writer = RLPWriter(capacity: 128)
            status.encode(to: &writer)
            return writer.bytes
        case .newBlockHashes(let entries):
            var writer = RLPWriter(capacity: 16 + entries.count * 44)
            writer.writeList { w in
                for entry in entries { w.writeList { e in e.write(entry.hash); e.write(entry.number) } }
            }
            return writer.bytes
        case .transactions(let txs):
            var writer = RLPWriter(capacity: 16 + txs.count * 128)
            writer.writeList { w in for tx in txs { tx.encode(to: &w) } }
            return writer.bytes
        case .getBlockHeaders(let requestId, let query):
            var writer = RLPWriter(capacity: 64)
            writer.writeList { w in
                w.write(requestId)
                query.encode(to: &w)
            }
            return writer.bytes
        case .blockHeaders(let requestId, let headers):
            return EthDecoding.writeRequest(requestId, headers) { $0.encode(to: &$1) }
        case .getBlockBodies(let requestId, let hashes),
             .getPooledTransactions(let requestId, let hashes),
             .getReceipts(let requestId, let hashes):
            return EthDecoding.writeRequest(requestId, hashes) { $1.write($0) }
        case .blockBodies(let requestId, let bodies):
            return EthDecoding.writeRequest(requestId, bodies) { $0.encode(to: &$1) }
        case .newBlock(let block, let totalDifficulty):
            var writer = RLPWriter(capacity: 1024)
            writer.writeList { w in
                block.encode(to: &w)
                w.write(totalDifficulty)
            }
            return writer.bytes
        case .newPooledTransactionHashes(let announcement):
            var writer = RLPWriter(capacity: 16 + announcement.hashes.count * 38)
            announcement.encode(to: &writer)
            return writer.bytes
        case .pooledTransactions(let requestId, let txs):
            return EthDecoding.writeRequest(requestId, txs) { $0.encode(to: &$1) }
        case .receipts(let requestId, let blocks):
            return EthDecoding.writeRequest(requestId, blocks) { receipts, writer in
                writer.writeList { list in for receipt in receipts { EthDecoding.writeReceipt(receipt, to: &list) } }
            }
        }
    }

    /// Decodes the body of message `code` (relative to eth's offset, after Snappy decompression).
    public static func decode(code: UInt64, data: [UInt8], limits: EthLimits = .default) throws(EthError)
        -> EthMessage
    {
        guard let known = EthMessageCode(rawValue: code) else { throw .unknownMessageCode(code) }
        guard data.count <= limits.maxMessageSize else {
            throw .messageTooLarge(size: data.count, limit: limits.maxMessageSize)
        }
        switch known {
        case .status:
            return .status(try whole(data, "Status") { try EthStatus(from: &$0) })
        case .newBlockHashes:
            // Bounded by the message size only, as in geth.
            return .newBlockHashes(try whole(data, "NewBlockHashes") { reader in
                try EthDecoding.readList(&reader, limit: .max, message: "NewBlockHashes") { item in
                    var entry = try item.readList()
                    let announcement = BlockHashAnnouncement(hash: try entry.readHash(), number: try entry.readUInt64())
                    try entry.finish()
                    return announcement
                }
            })
        case .transactions:
            return .transactions(try whole(data, "Transactions") { reader in
                try EthDecoding.readList(&reader, limit: .max, message: "Transactions", EthDecoding.readTransaction)
            })
        case .getBlockHeaders:
            let (requestId, query) = try whole(data, "GetBlockHeaders") { reader in
                var fields = try reader.readList()
                let requestId = try fields.readUInt64()
                let query = try HeaderQuery(from: &fields)
                try fields.finish()
                return (requestId, query)
            }
            return .getBlockHeaders(requestId: requestId, query)
        case .blockHeaders:
            let (requestId, headers) = try EthDecoding.readRequest(data, message: "BlockHeaders",
                                                                   limit: limits.maxHeaders) {
                try BlockHeader(from: &$0)
            }
            return .blockHeaders(requestId: requestId, headers)
        case .getBlockBodies:
            let (requestId, hashes) = try EthDecoding.readRequest(data, message: "GetBlockBodies",
                                                                  limit: limits.maxBodies) { try $0.readHash() }
            return .getBlockBodies(requestId: requestId, hashes)
        case .blockBodies:
            let (requestId, bodies) = try EthDecoding.readRequest(data, message: "BlockBodies",
                                                                  limit: limits.maxBodies) {
                try BlockBody(from: &$0)
            }
            return .blockBodies(requestId: requestId, bodies)
        case .newBlock:
            let (block, td) = try whole(data, "NewBlock") { reader in
                var fields = try reader.readList()
                let block = try Block(rlp: Array(try fields.readRawItem()))
                let td = try fields.readUInt256()
                try fields.finish()
                return (block, td)
            }
            return .newBlock(block, totalDifficulty: td)
        case .newPooledTransactionHashes:
            return .newPooledTransactionHashes(try whole(data, PooledTransactionAnnouncement.name) {
                try PooledTransactionAnnouncement(from: &$0, limit: limits.maxTransactionAnnouncements)
            })
        case .getPooledTransactions:
            let (requestId, hashes) = try EthDecoding.readRequest(data, message: "GetPooledTransactions",
                                                                  limit: limits.maxPooledTransactions) {
                try $0.readHash()
            }
            return .getPooledTransactions(requestId: requestId, hashes)
        case .pooledTransactions:
            let (requestId, txs) = try EthDecoding.readRequest(data, message: "PooledTransactions",
                                                               limit: limits.maxPooledTransactions,
                                                               EthDecoding.readTransaction)
            return .pooledTransactions(requestId: requestId, txs)
        case .getReceipts:
            let (requestId, hashes) = try EthDecoding.readRequest(data, message: "GetReceipts",
                                                                  limit: limits.maxReceipts) { try $0.readHash() }
            return .getReceipts(requestId: requestId, hashes)
        case .receipts:
            let (requestId, blocks) = try EthDecoding.readRequest(data, message: "Receipts",
                                                                  limit: limits.maxReceipts) { reader in
                try EthDecoding.readList(&reader, limit: .max, message: "Receipts", EthDecoding.readReceipt)
            }
            return .receipts(requestId: requestId, blocks)
        }
    }

    /// Decodes one item that must span all of `data`.
    private static func whole<T>(_ data: [UInt8], _ message: String,
                                 _ body: (inout RLPReader) throws -> T) throws(EthError) -> T {
        try EthDecoding.run(message) {
            var reader = RLPReader(data)
            let value = try body(&reader)
            try reader.finish()
            return value
        }
    }
}
