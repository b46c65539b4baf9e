import SankofaChain
import SankofaPrimitives

/// Shared pieces of eth/68 decoding: error mapping, bounded lists, request ids and network-form transactions.
enum EthDecoding {
    /// Runs a decoding step, reporting RLP and transaction failures as `EthError` for `message`.
    static func run<T>(_ message: String, _ body: () throws -> T) throws(EthError) -> T {
        do {
            return try body()
        } catch let error as EthError {
            throw error
        } catch let error as RLPError {
            throw .malformed(message: message, error)
        } catch let error as TransactionError {
            throw .invalidTransaction(message: message, error)
        } catch {
            // The steps throw only the three types above.
            throw .invalidField(message: message, "\(error)")
        }
    }

    /// Reads a list of at most `limit` items with `item`, refusing the first item past the limit before reading
    /// it. No capacity is reserved from the wire: the array grows only with items actually decoded.
    static func readList<T>(_ reader: inout RLPReader, limit: Int, message: String,
                            _ item: (inout RLPReader) throws -> T) throws -> [T] {
        var list = try reader.readList()
        var items: [T] = []
        while !list.isAtEnd {
            guard items.count < limit else { throw EthError.tooManyItems(message: message, limit: limit) }
            items.append(try item(&list))
        }
        return items
    }

    /// Reads `[request-id, list]`, the eth/66+ request/response envelope, then requires the end of input.
    static func readRequest<T>(_ data: [UInt8], message: String, limit: Int,
                               _ item: (inout RLPReader) throws -> T) throws(EthError) -> (UInt64, [T]) {
        try run(message) {
            var reader = RLPReader(data)
            var fields = try reader.readList()
            let requestId = try fields.readUInt64()
            let items = try readList(&fields, limit: limit, message: message, item)
            try fields.finish()
            try reader.finish()
            return (requestId, items)
        }
    }

    /// Writes `[request-id, [items…]]`.
    static func writeRequest<T>(_ requestId: UInt64, _ items: [T], _ item: (T, inout RLPWriter) -> Void) -> [UInt8] {
        var writer = RLPWriter(capacity: 64 + items.count * 32)
        writer.writeList { w in
            w.write(requestId)
            w.writeList { list in for value in items { item(value, &list) } }
        }
        return writer.bytes
    }

    /// Reads a transaction in its network form: a legacy transaction as an RLP list, a typed one as an RLP
    /// string holding `type ‖ payload` (EIP-2718; eth/68 carries the same form as block bodies).
    static func readTransaction(_ reader: inout RLPReader) throws -> Transaction {
        try Transaction(from: &reader)
    }

    /// Reads a receipt in its consensus form: legacy as a list, typed as a string of `type ‖ rlp(fields)`.
    static func readReceipt(_ reader: inout RLPReader) throws -> Receipt {
        if try reader.peekIsList() { return try Receipt(encoded: Array(try reader.readRawItem())) }
        let opaque = Array(try reader.readBytes())
        guard let first = opaque.first, first < 0x80 else { throw RLPError.expectedList }
        return try Receipt(encoded: opaque)
    }

    /// Writes a receipt in its consensus form (see `readReceipt`).
    static func writeReceipt(_ receipt: Receipt, to writer: inout RLPWriter) {
        if receipt.type == .legacy { writer.writeRaw(receipt.encoded) } else { writer.write(bytes: receipt.encoded) }
    }
}
