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
        // The process figures, read at the scrape: this test process has used some CPU and memory.
        let cpu = try #require(Self.value(of: "process_cpu_seconds_total", in: text))
        #expect(cpu > 0)
        #expect(try #require(Self.value(of: "process_resident_memory_bytes", in: text)) > 1_000_000)
        var spin = 0.0
        let deadline = ProcessMetrics.cpuSeconds() + 0.05
        while ProcessMetrics.cpuSeconds() < deadline { spin += 1 }
        let (again, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect(try #require(Self.value(of: "process_cpu_seconds_total", in: String(decoding: again, as: UTF8.self))) >= cpu + 0.05)
        #expect(spin > 0)
        let (_, missing) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/other")!)
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)
    }

    static func value(of name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }
}
