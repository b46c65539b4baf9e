import Metrics

/// Light-client metrics (swift-metrics, exported by the node's Prometheus registry).
struct LightMetrics: Sendable {
    func headersVerified(_ count: Int, head: UInt64) {
        Counter(label: "sankofa_light_headers_verified_total").increment(by: Int64(count))
        Gauge(label: "sankofa_light_head_block").record(Int64(clamping: head))
    }

    /// A server's answer failed verification against a verified header.
    func lie() { Counter(label: "sankofa_light_invalid_answers_total").increment() }

    func servers(_ count: Int) { Gauge(label: "sankofa_light_servers").record(count) }
}
