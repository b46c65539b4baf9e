import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOCore
import Prometheus
import SankofaTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SankofaNode
import SankofaStorage

@Suite("Metrics endpoint")
struct MetricsServerTests {
    @Test func servesPrometheusTextAtMetrics() async throws {
        let channel = try await Self.serveHeadNumber(42)
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

    /// A scraper that asks for the connection to end (`Connection: close`, or HTTP/1.0 without keep-alive) gets the
    /// whole page and then the close, not a connection left for the idle timeout.
    @Test(arguments: ["HTTP/1.1\r\nConnection: close", "HTTP/1.0"])
    func closesOnceTheAnswerIsOut(requestLine: String) async throws {
        let channel = try await Self.serveHeadNumber(7)
        defer { channel.close(promise: nil) }
        let port = try #require(channel.localAddress?.port)
        let (raw, closed) = try await Task.detached {
            let fd = try RawHTTPClient.connect(port: port)
            defer { close(fd) }
            try RawHTTPClient.send(fd, Array("GET /metrics \(requestLine)\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            return RawHTTPClient.readUntilClosed(fd)
        }.value
        #expect(closed, "the server kept the connection open")
        let text = String(decoding: raw, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        try #require(parts.count == 2)
        #expect(parts[0].hasSuffix("Connection: close") || parts[0].contains("\r\nConnection: close\r\n"))
        let length = try #require(parts[0].split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") })
        #expect(Int(length.split(separator: " ").last ?? "") == parts[1].utf8.count)
        #expect(parts[1].contains("sankofa_chain_head_number 7"))
    }

    /// With the node's store, a scrape reports RocksDB's memory by kind, read at that scrape.
    @Test func exportsTheStoresMemory() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-metrics-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RocksDBStore(path: path)
        defer { store.close() }
        let channel = try await MetricsServer.bind(registry: PrometheusCollectorRegistry(), host: "127.0.0.1", port: 0, store: store)
        defer { channel.close(promise: nil) }
        let url = URL(string: "http://127.0.0.1:\(try #require(channel.localAddress?.port))/metrics")!
        let memtables = #"sankofa_rocksdb_memory_bytes{kind="memtables"}"#
        let empty = try #require(Self.value(of: memtables, in: String(decoding: try await URLSession.shared.data(from: url).0, as: UTF8.self)))
        var batch = WriteBatch()
        for index in 0..<4_000 { batch.put(.trieNodes, Array("node-\(index)".utf8), [UInt8](repeating: 7, count: 256)) }
        try store.write(batch, sync: false)
        let text = String(decoding: try await URLSession.shared.data(from: url).0, as: UTF8.self)
        #expect(try #require(Self.value(of: memtables, in: text)) >= empty + 1_000_000)
        #expect(Self.value(of: #"sankofa_rocksdb_memory_bytes{kind="block_cache"}"#, in: text) != nil)
        #expect(Self.value(of: #"sankofa_rocksdb_memory_bytes{kind="table_readers"}"#, in: text) != nil)
    }

    /// A metrics endpoint on an OS-given port whose registry holds one gauge, the head number.
    static func serveHeadNumber(_ number: Int64) async throws -> any Channel {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "sankofa_chain_head_number", unitName: "", helpText: ""))
            .set(number)
        return try await MetricsServer.bind(registry: registry, host: "127.0.0.1", port: 0)
    }

    static func value(of name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }
}
