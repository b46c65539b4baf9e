import Prometheus
import SankofaStorage

/// RocksDB's memory, read at each scrape: `sankofa_rocksdb_memory_bytes{kind="memtables"|"block_cache"|
/// "table_readers"}`. Beside `process_resident_memory_bytes` it tells the database's bounded buffers (write buffers
/// up to 2 × 64 MiB per column family, a 256 MiB block cache) from the rest of the node's memory, as Besu's
/// `rocksdb` metrics category does.
final class StoreMetrics: ScrapedMetrics {
    private let store: RocksDBStore
    private let memtables: Gauge
    private let blockCache: Gauge
    private let tableReaders: Gauge

    init(registry: PrometheusCollectorRegistry, store: RocksDBStore) {
        self.store = store
        func gauge(_ kind: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "sankofa_rocksdb_memory_bytes", unitName: "",
                                                                helpText: "Memory RocksDB holds, by kind."),
                               labels: [("kind", kind)])
        }
        memtables = gauge("memtables")
        blockCache = gauge("block_cache")
        tableReaders = gauge("table_readers")
    }

    func update() {
        guard let usage = try? store.memoryUsage() else { return }   // closed: shutting down
        memtables.set(Int64(clamping: usage.memtables))
        blockCache.set(Int64(clamping: usage.blockCache))
        tableReaders.set(Int64(clamping: usage.tableReaders))
    }
}
