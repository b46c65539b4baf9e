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
        var reader = RLPReader(input)
        do {
            var fields = try reader.readList()
            header = try BlockHeader(from: &fields)
            var txs = try fields.readList()
            var decoded: [Transaction] = []
            while !txs.isAtEnd { decoded.append(try Transaction(from: &txs)) }
            transactions = decoded
            var ommerList = try fields.readList()
            var decodedOmmers: [BlockHeader] = []
            while !ommerList.isAtEnd { decodedOmmers.append(try BlockHeader(from: &ommerList)) }
            ommers = decodedOmmers
            try fields.finish()
            try reader.finish()
        } catch let error as RLPError {
            throw .malformed(error)
        } catch let error as TransactionError {
            throw error
        } catch {
            throw .malformed(.unexpectedEnd)
        }
    }
}
