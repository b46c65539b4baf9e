import SankofaChain
import SankofaContracts
import SankofaPrimitives
import SankofaState
import SankofaTrie

/// Everything executing a block's transactions produced, except the state root (the caller commits the state).
public struct ExecutionOutcome: Sendable {
    public let receipts: [Receipt]
    public let results: [TransactionResult]
    public let gasUsed: UInt64
    public let logsBloom: Bloom
    public let transactionsRoot: Hash32
    public let receiptsRoot: Hash32
}

/// Applies a block's transactions in order and derives its receipts and roots (geth's `state_processor.go`). The
/// same transactions on the same state give the same roots on every node and every run.
public struct BlockExecutor: Sendable {
    public let processor: TransactionProcessor

    public init(processor: TransactionProcessor) { self.processor = processor }

    public static func context(of header: BlockHeader, chainId: UInt64) -> BlockContext {
        BlockContext(number: header.number, timestamp: header.timestamp, coinbase: header.coinbase, chainId: chainId)
    }

    /// Executes every transaction of a block being imported; any transaction that cannot be included makes the
    /// block invalid.
    public func execute(_ transactions: [RecoveredTransaction], header: BlockHeader, state: WorldState) throws -> ExecutionOutcome {
        let block = Self.context(of: header, chainId: processor.chainId)
        let baseFee = header.baseFeePerGas ?? .zero
        var receipts = ReceiptAccumulator(capacity: transactions.count)
        for tx in transactions {
            let result: TransactionResult
            do {
                result = try processor.apply(tx, state: state, block: block, baseFee: baseFee,
                                             gasAvailable: header.gasLimit - receipts.gasUsed)
            } catch ExecutionError.blockGasLimitExceeded(_, let gas, _) {
                throw ExecutionError.blockGasLimitExceeded(used: receipts.gasUsed, transactionGas: gas, limit: header.gasLimit)
            }
            receipts.add(result, of: tx)
        }
        return receipts.outcome(of: transactions)
    }

    /// A block assembled from pool candidates: what was included, what it produced, and what was left out and why.
    public struct Built: Sendable {
        public let included: [RecoveredTransaction]
        public let outcome: ExecutionOutcome
        public let rejected: [(hash: Hash32, error: ExecutionError)]
    }

    /// Builds a block: applies candidates in order, leaving out any that cannot be included (wrong nonce, no funds,
    /// contract creation, no gas left) instead of failing the block. Reverting calls are included with status 0.
    public func build(_ candidates: [RecoveredTransaction], header: BlockHeader, state: WorldState) throws -> Built {
        let block = Self.context(of: header, chainId: processor.chainId)
        let baseFee = header.baseFeePerGas ?? .zero
        var included: [RecoveredTransaction] = []
        var rejected: [(hash: Hash32, error: ExecutionError)] = []
        var receipts = ReceiptAccumulator(capacity: candidates.count)
        for tx in candidates {
            let checkpoint = state.checkpoint()
            do {
                let result = try processor.apply(tx, state: state, block: block, baseFee: baseFee,
                                                 gasAvailable: header.gasLimit - receipts.gasUsed)
                receipts.add(result, of: tx)
                included.append(tx)
            } catch let error as ExecutionError {
                try state.revert(to: checkpoint)
                rejected.append((tx.transaction.hash, error))
            } catch let error as StateError {
                // A rule of the state (not the storage) refused this transaction: leave it out, keep building.
                try state.revert(to: checkpoint)
                rejected.append((tx.transaction.hash, .stateRule(error.description)))
            }
        }
        return Built(included: included, outcome: receipts.outcome(of: included), rejected: rejected)
    }

    /// Checks an imported header against execution: gas used, bloom, transactions, receipts and state roots.
    public static func verify(_ header: BlockHeader, against outcome: ExecutionOutcome, stateRoot: Hash32) throws {
        func check(_ field: String, _ got: String, _ expected: String) throws {
            guard got == expected else { throw ExecutionError.headerMismatch(field: field, got: got, expected: expected) }
        }
        try check("gasUsed", "\(header.gasUsed)", "\(outcome.gasUsed)")
        try check("transactionsRoot", header.transactionsRoot.hex, outcome.transactionsRoot.hex)
        try check("receiptsRoot", header.receiptsRoot.hex, outcome.receiptsRoot.hex)
        try check("logsBloom", Hex.encode(header.logsBloom.bytes), Hex.encode(outcome.logsBloom.bytes))
        try check("stateRoot", header.stateRoot.hex, stateRoot.hex)
    }

    /// The root of the trie `rlp(index) → transaction` (typed transactions as their opaque bytes).
    public static func transactionsRoot(_ transactions: [Transaction]) -> Hash32 {
        orderedRoot(transactions.map(\.encoded))
    }

    /// The root of the trie `rlp(index) → receipt` (typed receipts prefixed by their type).
    public static func receiptsRoot(_ receipts: [Receipt]) -> Hash32 { orderedRoot(receipts.map(\.encoded)) }

    /// The root of `rlp(index) → item`. Keys in byte order are indices 1…127 (one byte each), then 0 (`0x80`),
    /// then 128 and on (`0x81 …`, `0x82 …`: longer big-endian numbers sort after shorter ones).
    static func orderedRoot(_ items: [[UInt8]]) -> Hash32 {
        guard !items.isEmpty else { return MerklePatriciaTrie.emptyRoot }
        var order = Array(1..<min(items.count, 128))
        order.append(0)
        if items.count > 128 { order.append(contentsOf: 128..<items.count) }
        let keys = order.map { index in
            var key = RLPWriter(capacity: 9)
            key.write(UInt64(index))
            return key.bytes
        }
        return SortedTrieRoot.root(keys: keys, values: order.map { items[$0] })
    }
}

/// The receipts of a block as its transactions are applied: cumulative gas, the union of their blooms, and, at the
/// end, the outcome with both roots. One place for what import and block building both derive.
struct ReceiptAccumulator {
    private(set) var receipts: [Receipt] = []
    private(set) var results: [TransactionResult] = []
    private(set) var gasUsed: UInt64 = 0
    private var bloom = Bloom()
    private var blooms = LogBloomCache()

    init(capacity: Int) {
        receipts.reserveCapacity(capacity)
        results.reserveCapacity(capacity)
    }

    mutating func add(_ result: TransactionResult, of tx: RecoveredTransaction) {
        gasUsed += result.gasUsed
        let receipt = Receipt(type: tx.transaction.type, succeeded: result.succeeded, cumulativeGasUsed: gasUsed,
                              logs: result.logs, blooms: &blooms)
        bloom.formUnion(receipt.logsBloom)
        receipts.append(receipt)
        results.append(result)
    }

    /// The outcome for a block holding exactly `transactions` (those added, in order).
    func outcome(of transactions: [RecoveredTransaction]) -> ExecutionOutcome {
        ExecutionOutcome(receipts: receipts, results: results, gasUsed: gasUsed, logsBloom: bloom,
                         transactionsRoot: BlockExecutor.transactionsRoot(transactions.map(\.transaction)),
                         receiptsRoot: BlockExecutor.receiptsRoot(receipts))
    }
}
