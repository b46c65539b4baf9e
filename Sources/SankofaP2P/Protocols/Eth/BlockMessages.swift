import SankofaChain
import SankofaPrimitives

/// One entry of NewBlockHashes (0x01): `[blockhash, number]`.
public struct BlockHashAnnouncement: Hashable, Sendable {
    public var hash: Hash32
    public var number: UInt64

    public init(hash: Hash32, number: UInt64) {
        self.hash = hash
        self.number = number
    }
}

/// The origin of a GetBlockHeaders query: a block hash (a 32-byte string) or a number (an integer of at most
/// 8 bytes) — the same RLP slot holds either.
public enum BlockOrigin: Hashable, Sendable {
    case hash(Hash32)
    case number(UInt64)
}

/// The query of GetBlockHeaders (0x03): `[origin, amount, skip, reverse]`. `skip` is the gap between returned
/// headers (0 = consecutive); `reverse` walks towards genesis.
public struct HeaderQuery: Hashable, Sendable {
    public var origin: BlockOrigin
    /// Headers asked for. Not refused when above `EthLimits.maxHeaders`: a server returns at most that many,
    /// as geth clamps.
    public var amount: UInt64
    public var skip: UInt64
    public var reverse: Bool

    public init(origin: BlockOrigin, amount: UInt64, skip: UInt64 = 0, reverse: Bool = false) {
        self.origin = origin
        self.amount = amount
        self.skip = skip
        self.reverse = reverse
    }

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            switch origin {
            case .hash(let hash): w.write(hash)
            case .number(let number): w.write(number)
            }
            w.write(amount)
            w.write(skip)
            w.write(reverse)
        }
    }

    init(from reader: inout RLPReader) throws {
        var fields = try reader.readList()
        var probe = fields
        if try probe.readBytes().count == 32 {
            origin = .hash(try fields.readHash())
        } else {
            origin = .number(try fields.readUInt64())
        }
        amount = try fields.readUInt64()
        skip = try fields.readUInt64()
        reverse = try fields.readBool()
        try fields.finish()
    }
}

/// A block body as BlockBodies (0x06) carries it: `[transactions, ommers]`. Sankofa's chains never activate
/// Shanghai, so a body with a third (withdrawals) list is refused as malformed.
public struct BlockBody: Hashable, Sendable {
    public var transactions: [Transaction]
    public var ommers: [BlockHeader]

    public init(transactions: [Transaction], ommers: [BlockHeader] = []) {
        self.transactions = transactions
        self.ommers = ommers
    }

    /// The body of a block.
    public init(_ block: Block) {
        self.init(transactions: block.transactions, ommers: block.ommers)
    }

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.writeList { list in for tx in transactions { tx.encode(to: &list) } }
            w.writeList { list in for ommer in ommers { ommer.encode(to: &list) } }
        }
    }

    init(from reader: inout RLPReader) throws {
        var fields = try reader.readList()
        transactions = try EthDecoding.readList(&fields, limit: .max, message: "BlockBodies transactions",
                                                EthDecoding.readTransaction)
        ommers = try EthDecoding.readList(&fields, limit: .max, message: "BlockBodies ommers") {
            try BlockHeader(from: &$0)
        }
        try fields.finish()
    }
}
