import Metrics
import SankofaP2P
import SankofaPrimitives

/// Sync and eth/68 metrics (swift-metrics, exported by the node's Prometheus registry).
struct SyncMetrics: Sendable {
    static func received(_ code: EthMessageCode) {
        counter("sankofa_eth_messages_received_total", code).increment()
    }

    static func served(_ code: EthMessageCode) {
        counter("sankofa_eth_requests_served_total", code).increment()
    }

    /// The counter `label` for messages of type `code`, made once (one per message costs a registry lookup).
    private static func counter(_ label: String, _ code: EthMessageCode) -> Counter {
        perType.withLock { made in
            let key = CounterKey(label: label, code: code)
            if let counter = made[key] { return counter }
            let counter = Counter(label: label, dimensions: [("type", "\(code)")])
            made[key] = counter
            return counter
        }
    }

    private struct CounterKey: Hashable {
        var label: String
        var code: EthMessageCode
    }

    private static let perType = Locked<[CounterKey: Counter]>([:])

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
