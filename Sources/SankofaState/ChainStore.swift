import SankofaChain
import SankofaPrimitives
import SankofaStorage

/// Where a transaction sits in the canonical chain.
public struct TransactionLocation: Hashable, Sendable {
    public let blockHash: Hash32
    public let blockNumber: UInt64
    public let index: Int

    public init(blockHash: Hash32, blockNumber: UInt64, index: Int) {
        self.blockHash = blockHash
        self.blockNumber = blockNumber
        self.index = index
    }
}

/// Why the chain store refused a read or write.
public enum ChainStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A stored record does not decode: the database is damaged.
    case corrupt(Column, key: String, reason: String)
    /// The database was written by a newer (or unknown) layout version.
    case unsupportedSchema(found: UInt64, supported: UInt64)

    public var description: String {
        switch self {
        case .corrupt(let column, let key, let reason): "corrupt \(column.rawValue) record \(key): \(reason)"
        case .unsupportedSchema(let found, let supported):
            "database schema version \(found) is not supported (this sankofa reads version \(supported))"
        }
    }
}

/// Blocks, receipts, the canonical index and transaction lookups on top of a `KeyValueStore`.
///
/// A block, its receipts, its state changes and the new head marker go to disk in ONE atomic batch, so a node
/// killed at any instant restarts at its last fully committed block.
public struct ChainStore: Sendable {
    public let store: any KeyValueStore

    /// Opens the chain data in `store`, stamping a new database with the current schema version.
    public init(store: any KeyValueStore) throws {
        self.store = store
        if let stamp = try store.get(.metadata, Schema.schemaVersionKey) {
            let version = Schema.uint64(bigEndian: stamp) ?? .max
            guard version == Schema.schemaVersion else {
                throw ChainStoreError.unsupportedSchema(found: version, supported: Schema.schemaVersion)
            }
        } else {
            var batch = WriteBatch()
            batch.put(.metadata, Schema.schemaVersionKey, Schema.bigEndian(Schema.schemaVersion))
            try store.write(batch, sync: true)
        }
    }

    // MARK: Reads

    public func header(_ hash: Hash32) throws -> BlockHeader? {
        guard let bytes = try store.get(.headers, Schema.blockKey(hash)) else { return nil }
        do { return try BlockHeader(rlp: bytes) } catch { throw corrupt(.headers, hash, error) }
    }

    /// The full block (header and body) with this hash.
    public func block(_ hash: Hash32) throws -> Block? {
        guard let header = try header(hash), let body = try store.get(.bodies, Schema.blockKey(hash)) else { return nil }
        do {
            var outer = RLPReader(body)
            var fields = try outer.readList()
            var txList = try fields.readList()
            var transactions: [Transaction] = []
            while !txList.isAtEnd { transactions.append(try Transaction(from: &txList)) }
            var ommerList = try fields.readList()
            var ommers: [BlockHeader] = []
            while !ommerList.isAtEnd { ommers.append(try BlockHeader(from: &ommerList)) }
            try fields.finish()
            try outer.finish()
            return Block(header: header, transactions: transactions, ommers: ommers)
        } catch {
            throw corrupt(.bodies, hash, error)
        }
    }

    public func receipts(_ hash: Hash32) throws -> [Receipt]? {
        guard let bytes = try store.get(.receipts, Schema.blockKey(hash)) else { return nil }
        do {
            var outer = RLPReader(bytes)
            var list = try outer.readList()
            var receipts: [Receipt] = []
            var blooms = LogBloomCache()
            while !list.isAtEnd { receipts.append(try Receipt(stored: Array(try list.readBytes()), blooms: &blooms)) }
            try outer.finish()
            return receipts
        } catch {
            throw corrupt(.receipts, hash, error)
        }
    }

    /// The canonical block hash at `number`.
    public func canonicalHash(_ number: UInt64) throws -> Hash32? {
        try store.get(.canonical, Schema.canonicalKey(number)).flatMap { Hash32(bytes: $0) }
    }

    public func transactionLocation(_ hash: Hash32) throws -> TransactionLocation? {
        guard let bytes = try store.get(.transactionLookup, Schema.transactionLookupKey(hash)) else { return nil }
        do {
            var outer = RLPReader(bytes)
            var fields = try outer.readList()
            let blockHash = try fields.readHash()
            let number = try fields.readUInt64()
            let index = try fields.readUInt64()
            try fields.finish()
            guard let position = Int(exactly: index) else { throw RLPError.integerTooLarge(maxBytes: 8, got: 8) }
            return TransactionLocation(blockHash: blockHash, blockNumber: number, index: position)
        } catch {
            throw corrupt(.transactionLookup, hash, error)
        }
    }

    /// The hash of the canonical head, or nil for an empty database.
    public func headHash() throws -> Hash32? {
        try store.get(.metadata, Schema.headBlockKey).flatMap { Hash32(bytes: $0) }
    }

    public func finalizedHash() throws -> Hash32? {
        try store.get(.metadata, Schema.finalizedBlockKey).flatMap { Hash32(bytes: $0) }
    }

    /// The total difficulty (Clique fork-choice weight) of the chain ending at `hash`.
    public func totalDifficulty(_ hash: Hash32) throws -> UInt256? {
        try store.get(.metadata, Schema.totalDifficultyKey(hash)).flatMap { UInt256(bigEndian: $0) }
    }

    /// The canonical header at `number`.
    public func canonicalHeader(_ number: UInt64) throws -> BlockHeader? {
        guard let hash = try canonicalHash(number) else { return nil }
        return try header(hash)
    }

    /// The head block's header.
    public func headHeader() throws -> BlockHeader? {
        guard let hash = try headHash() else { return nil }
        return try header(hash)
    }

    // MARK: Writes

    /// Records a block's total difficulty in `batch`.
    public func setTotalDifficulty(_ value: UInt256, for hash: Hash32, in batch: inout WriteBatch) {
        batch.put(.metadata, Schema.totalDifficultyKey(hash), value.minimalBigEndianBytes)
    }

    /// The writes that make `newBranch` (oldest first, ending at the new head) canonical in place of the current
    /// canonical blocks above its fork point: canonical index and transaction lookups move to the new branch, and
    /// entries of abandoned blocks above the new head are removed.
    public func reorgBatch(to newBranch: [Block], oldHead: BlockHeader) throws -> WriteBatch {
        var batch = WriteBatch()
        guard let first = newBranch.first, let newHead = newBranch.last else { return batch }
        // Drop transaction lookups of the abandoned canonical blocks.
        var number = first.number
        while number <= oldHead.number {
            if let hash = try canonicalHash(number), let old = try block(hash) {
                for tx in old.transactions { batch.delete(.transactionLookup, Schema.transactionLookupKey(tx.hash)) }
            }
            if number > newHead.number { batch.delete(.canonical, Schema.canonicalKey(number)) }
            number += 1
        }
        for block in newBranch { Self.index(block, in: &batch) }
        batch.put(.metadata, Schema.headBlockKey, newHead.hash.bytes)
        return batch
    }

    /// The writes that store `block` with its receipts and state changes and, if `makeHead`, make it the canonical
    /// head (canonical index, transaction lookups, head marker).
    public func batch(for block: Block, receipts: [Receipt], state: StateCommit?, makeHead: Bool,
                      finalized: Bool = false) -> WriteBatch {
        var batch = state?.batch ?? WriteBatch()
        let hash = block.hash
        let key = Schema.blockKey(hash)
        batch.put(.headers, key, block.header.rlpEncoded)
        var body = RLPWriter(capacity: 256 + block.transactions.count * 128)
        body.writeList { w in
            w.writeList { list in for tx in block.transactions { tx.encode(to: &list) } }
            w.writeList { list in for ommer in block.ommers { ommer.encode(to: &list) } }
        }
        batch.put(.bodies, key, body.bytes)
        var receiptList = RLPWriter(capacity: 64 + receipts.count * 100)
        receiptList.writeList { w in for receipt in receipts { w.write(bytes: receipt.storageEncoded) } }
        batch.put(.receipts, key, receiptList.bytes)
        if makeHead {
            Self.index(block, in: &batch)
            batch.put(.metadata, Schema.headBlockKey, hash.bytes)
        }
        if finalized { batch.put(.metadata, Schema.finalizedBlockKey, hash.bytes) }
        return batch
    }

    /// Stores a block atomically and durably (see `batch(for:…)`).
    public func commit(_ block: Block, receipts: [Receipt], state: StateCommit?, makeHead: Bool,
                       finalized: Bool = false) throws {
        try store.write(batch(for: block, receipts: receipts, state: state, makeHead: makeHead, finalized: finalized),
                        sync: true)
    }

    /// Makes `block` the canonical block at its height and indexes its transactions.
    static func index(_ block: Block, in batch: inout WriteBatch) {
        let hash = block.hash
        batch.put(.canonical, Schema.canonicalKey(block.number), hash.bytes)
        for (index, tx) in block.transactions.enumerated() {
            var location = RLPWriter(capacity: 48)
            location.writeList { w in
                w.write(hash)
                w.write(block.number)
                w.write(UInt64(index))
            }
            batch.put(.transactionLookup, Schema.transactionLookupKey(tx.hash), location.bytes)
        }
    }

    private func corrupt(_ column: Column, _ hash: Hash32, _ error: Error) -> ChainStoreError {
        .corrupt(column, key: hash.hex, reason: String(describing: error))
    }
}
