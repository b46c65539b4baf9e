import SankofaPrimitives

/// A block: its header and body (`rlp([header, transactions, ommers])`; PoA chains have no ommers, and a
/// post-Shanghai body also carries withdrawals, which Sankofa never produces).
public struct Block: Hashable, Sendable {
    public var header: BlockHeader
    public var transactions: [Transaction]
    public var ommers: [BlockHeader]

    public init(header: BlockHeader, transactions: [Transaction], ommers: [BlockHeader] = []) {
        self.header = header
        self.transactions = transactions
        self.ommers = ommers
    }

    public var hash: Hash32 { header.hash }
    public var number: UInt64 { header.number }
}

extension Block: RLPEncodable {
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            header.encode(to: &w)
            w.writeList { list in for tx in transactions { tx.encode(to: &list) } }
            w.writeList { list in for ommer in ommers { ommer.encode(to: &list) } }
        }
    }
}

extension Block {
    /// Decodes a block that must span all of `input`.
    public init(rlp input: [UInt8]) throws(TransactionError) {
        (header, transactions, ommers) = try TransactionError.decoding {
            var reader = RLPReader(input)
            var fields = try reader.readList()
            let header = try BlockHeader(from: &fields)
            var txs = try fields.readList()
            var transactions: [Transaction] = []
            while !txs.isAtEnd { transactions.append(try Transaction(from: &txs)) }
            var ommerList = try fields.readList()
            var ommers: [BlockHeader] = []
            while !ommerList.isAtEnd { ommers.append(try BlockHeader(from: &ommerList)) }
            try fields.finish()
            try reader.finish()
            return (header, transactions, ommers)
        }
    }
}
