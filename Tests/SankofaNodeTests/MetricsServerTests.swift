import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Prometheus
import Testing
@testable import SankofaNode

@Suite("Metrics endpoint")
struct MetricsServerTests {
    @Test func servesPrometheusTextAtMetrics() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "sankofa_chain_head_number", unitName: "", helpText: ""))
            .set(Int64(42))
        let channel = try await MetricsServer.bind(registry: registry, host: "127.0.0.1", port: 0)
        defer { channel.close(promise: nil) }
        let port = try #require(channel.localAddress?.port)
        let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains("# TYPE sankofa_chain_head_number gauge"))
        #expect(text.contains("sankofa_chain_head_number 42"))
        let (_, missing) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/other")!)
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)
    }
}
