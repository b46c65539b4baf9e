import SankofaRPC

/// The nodes' CPU time over a run, from the `process_cpu_seconds_total` of their Prometheus endpoints (`--metrics`):
/// read just before the first send and again at the last inclusion, so that neither the pre-signing wait nor the
/// receipt check is counted.
enum NodeCPU {
    /// Each endpoint's CPU seconds so far, in order.
    static func read(_ endpoints: [HTTPEndpoint]) async throws -> [Double] {
        var seconds: [Double] = []
        for endpoint in endpoints {
            let text = try await HTTPClientConnection.with(endpoint) { String(decoding: try await $0.get(), as: UTF8.self) }
            guard let value = NetworkStatus.gauge("process_cpu_seconds_total", in: text) else {
                throw CLIError.failed("\(endpoint) shows no process_cpu_seconds_total: is it a node's metrics URL (…/metrics)?")
            }
            seconds.append(value)
        }
        return seconds
    }
}
