import Metrics
import SankofaP2P

/// Sync and eth/68 metrics (swift-metrics, exported by the node's Prometheus registry).
struct SyncMetrics: Sendable {
    static func received(_ code: EthMessageCode) {
        received.counter(code) { Counter(label: "sankofa_eth_messages_received_total", dimensions: [("type", "\(code)")]) }
            .increment()
    }

    static func served(_ code: EthMessageCode) {
        served.counter(code) { Counter(label: "sankofa_eth_requests_served_total", dimensions: [("type", "\(code)")]) }
            .increment()
    }

    private static let received = CounterCache<EthMessageCode>()
    private static let served = CounterCache<EthMessageCode>()

    static func imported(blocks: Int, transactions: Int) {
        Counter(label: "sankofa_sync_blocks_imported_total").increment(by: Int64(blocks))
        Counter(label: "sankofa_sync_transactions_imported_total").increment(by: Int64(transactions))
    }

    static func transactionsReceived(_ count: Int) {
        Counter(label: "sankofa_eth_transactions_admitted_total").increment(by: Int64(count))
    }

    static func bestKnown(_ number: UInt64) { Gauge(label: "sankofa_sync_best_known_block").record(Int64(clamping: number)) }

    static func distance(_ blocks: UInt64) { Gauge(label: "sankofa_sync_distance_blocks").record(Int64(clamping: blocks)) }

    static func peers(_ count: Int) { Gauge(label: "sankofa_eth_peers").record(count) }
}
