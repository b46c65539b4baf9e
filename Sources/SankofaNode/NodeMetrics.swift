import Metrics
import SankofaChain

/// The node's metrics (swift-metrics; exported in Prometheus text format on `--metrics-port`).
public struct NodeMetrics: Sendable {
    let headNumber = Gauge(label: "sankofa_chain_head_number")
    let blockImport = Timer(label: "sankofa_block_import_seconds", preferredDisplayUnit: .seconds)
    let transactionsIncluded = Counter(label: "sankofa_transactions_included_total")
    let pendingTransactions = Gauge(label: "sankofa_txpool_pending")
    let queuedTransactions = Gauge(label: "sankofa_txpool_queued")

    public init() {}

    func blockProduced(_ block: Block, milliseconds: Double) {
        headNumber.record(Int64(block.number))
        blockImport.recordNanoseconds(Int64(milliseconds * 1_000_000))
        transactionsIncluded.increment(by: Int64(block.transactions.count))
        Counter(label: "sankofa_blocks_total", dimensions: [("origin", "produced")]).increment()
    }

    func blockImported(_ block: Block, milliseconds: Double) {
        headNumber.record(Int64(block.number))
        blockImport.recordNanoseconds(Int64(milliseconds * 1_000_000))
        transactionsIncluded.increment(by: Int64(block.transactions.count))
        Counter(label: "sankofa_blocks_total", dimensions: [("origin", "imported")]).increment()
    }

    func pool(pending: Int, queued: Int) {
        pendingTransactions.record(pending)
        queuedTransactions.record(queued)
    }

    func consensusEvent(_ kind: String) {
        Counter(label: "sankofa_consensus_events_total", dimensions: [("event", kind)]).increment()
    }
}
